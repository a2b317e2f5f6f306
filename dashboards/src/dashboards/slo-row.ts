import { KUBERNETES } from '../exporter-metrics.js';
import type { MixinConfig } from '../config.js';
import { type PanelSpec, type RowSpec, UNITS } from '../grafana.js';
import { num, percent, sel } from '../promql.js';
import { BURN_RATES, badShareOverPeriod, SLO_PERIOD, type Sli, sloRecordName } from '../rules/slo.js';

const { namespace } = KUBERNETES.labels;

/**
 * The SLO row of the service overview, read from the SLO recording rules (per namespace and job): the error budget
 * left over the SLO period, and the burn rates the alerts compare with their thresholds. `matchers` select the
 * dashboard's job, cluster and namespaces.
 */
export function sloRow(config: MixinConfig, matchers: string[]): RowSpec {
  const slis: Array<{ sli: Sli; name: string; objective: number; what: string }> = [
    {
      sli: 'errors',
      name: 'Availability',
      objective: config.slo.availability,
      what: `${percent(config.slo.availability)} of requests without a 5xx`,
    },
    {
      sli: 'slow',
      name: 'Latency',
      objective: config.slo.latency,
      what: `${percent(config.slo.latency)} of requests within ${config.slo.latencyThresholdSeconds} s`,
    },
  ];
  const record = (sli: Sli, window: string) => sel(sloRecordName(sli, window), ...matchers);
  const budgetLeft = ({ sli, name, objective, what }: (typeof slis)[number]): PanelSpec => ({
    kind: 'stat',
    title: `${name} error budget left (${SLO_PERIOD})`,
    description:
      `Share of the ${SLO_PERIOD} error budget of the ${name.toLowerCase()} SLO (${what}) not yet spent, per ` +
      `namespace: 1 - (bad share over ${SLO_PERIOD}) / ${num(1 - objective)}, the bad share weighted by traffic (summed ` +
      'from the recorded 5-minute rates of bad and all requests); below 0 the SLO is missed.',
    unit: 'percentunit',
    queries: [
      {
        expr: `1 - (${badShareOverPeriod(sli, matchers)}) / ${num(1 - objective)}`,
        legend: `{{${namespace}}}`,
      },
    ],
    baseColor: 'red',
    thresholds: [
      { value: 0.25, color: 'orange' },
      { value: 0.5, color: 'green' },
    ],
    max: 1,
    width: 6,
  });
  const burnRate = ({ sli, name, objective }: (typeof slis)[number]): PanelSpec => ({
    kind: 'timeseries',
    title: `${name} burn rate`,
    description:
      `How many times faster than sustainable the ${name.toLowerCase()} budget burns, per namespace and long ` +
      `window (1 = the budget lasts exactly ${SLO_PERIOD}). The dashed lines are the alerts' thresholds: ` +
      `${BURN_RATES.map((b) => `${b.factor}x over ${b.long} (${b.severity})`).join(', ')}; each alert also needs ` +
      'its short window above the threshold.',
    unit: UNITS.burnRate,
    queries: BURN_RATES.map((burn) => ({
      expr: `${record(sli, burn.long)} / ${num(1 - objective)}`,
      legend: `{{${namespace}}} ${burn.long}`,
    })),
    thresholds: [...new Set(BURN_RATES.map((b) => b.factor))]
      .sort((a, b) => a - b)
      .map((factor) => ({
        value: factor,
        color: BURN_RATES.some((b) => b.factor === factor && b.severity === 'critical') ? 'red' : 'orange',
      })),
    min: 0,
    width: 6,
  });
  return {
    title: 'SLO',
    panels: slis.flatMap((sli) => [budgetLeft(sli), burnRate(sli)]),
  };
}
