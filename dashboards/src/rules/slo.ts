import { HTTP_LABELS, METRICS } from '@otelkit/node/names';
import type { MixinConfig } from '../config.js';
import { PROMETHEUS_LABELS } from '../exporter-metrics.js';
import { bucketMatcher, eq, orZero, rate, re, sel, sumBy } from '../promql.js';
import { alertLinks } from './links.js';
import type { AlertingRule, RecordingRule, RuleGroup } from './types.js';

const COUNT = `${METRICS.httpServerDuration}_count`;
const BUCKET = `${METRICS.httpServerDuration}_bucket`;
const { job } = PROMETHEUS_LABELS;

/** The windows the burn-rate alerts read (Google SRE workbook, "multiwindow, multi-burn-rate alerts"). */
export const SLO_WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'] as const;
type Window = (typeof SLO_WINDOWS)[number];

/**
 * Burn rates for a 30-day SLO: page when 2% of the budget burns in 1 h or 5% in 6 h, ticket when 10% burns in 1 day
 * or in 3 days. Each long window is paired with a short one (1/12 of it) so the alert resets soon after recovery.
 */
const BURN_RATES: ReadonlyArray<{
  long: Window;
  short: Window;
  factor: number;
  severity: 'critical' | 'warning';
  for: string;
}> = [
  { long: '1h', short: '5m', factor: 14.4, severity: 'critical', for: '2m' },
  { long: '6h', short: '30m', factor: 6, severity: 'critical', for: '15m' },
  { long: '1d', short: '2h', factor: 3, severity: 'warning', for: '1h' },
  { long: '3d', short: '6h', factor: 1, severity: 'warning', for: '3h' },
];

/** Recording-rule names of the two SLIs' error ratios over a window. */
export const sloRecordName = (sli: 'errors' | 'slow', window: string): string =>
  sli === 'errors'
    ? `job:${METRICS.httpServerDuration}:error_ratio_rate${window}`
    : `job:${METRICS.httpServerDuration}:slow_ratio_rate${window}`;

/** A number as PromQL writes it, without floating-point noise (14.4 * 0.001 = 0.0144, not 0.014400000000000001). */
const num = (value: number): string => String(Number(value.toPrecision(6)));

/** Recording rules (per window) and burn-rate alerts of the availability and latency SLOs of one service. */
export function sloRules(config: MixinConfig): RuleGroup {
  const service = [eq(job, config.jobs.service)];
  const total = (w: string) => sumBy([job], rate(sel(COUNT, ...service), w));
  const recording: RecordingRule[] = SLO_WINDOWS.flatMap((w) => [
    {
      record: sloRecordName('errors', w),
      // 5xx over all requests; 0 (not absent) while there are requests and no 5xx
      expr: `${orZero(sumBy([job], rate(sel(COUNT, ...service, re(HTTP_LABELS.statusCode, '5..')), w)), total(w))} / ${total(w)}`,
    },
    {
      record: sloRecordName('slow', w),
      expr: `1 - (${sumBy([job], rate(sel(BUCKET, ...service, bucketMatcher(config.slo.latencyThresholdSeconds)), w))} / ${total(w)})`,
    },
  ]);
  const alert = (sli: 'errors' | 'slow', objective: number): AlertingRule[] =>
    BURN_RATES.map((burn) => {
      const budget = 1 - objective;
      const over = (w: Window) => `${sel(sloRecordName(sli, w), ...service)} > ${num(burn.factor * budget)}`;
      const what =
        sli === 'errors'
          ? `availability SLO (${objective * 100}% of requests without 5xx)`
          : `latency SLO (${objective * 100}% of requests within ${config.slo.latencyThresholdSeconds} s)`;
      const name = sli === 'errors' ? 'ServiceAvailabilityBudgetBurn' : 'ServiceLatencyBudgetBurn';
      // the minimum-traffic guard (over the short window): one failed or slow request in a quiet hour burns a big
      // share of it, but is no page
      const busy = `${total(burn.short)} > ${num(config.slo.minRequestsPerSecond)}`;
      return {
        alert: name,
        expr: `(${over(burn.long)}) and (${over(burn.short)}) and (${busy})`,
        for: burn.for,
        labels: { severity: burn.severity, service: config.service, long_window: burn.long },
        annotations: {
          summary: `${config.service} is burning its ${sli === 'errors' ? 'availability' : 'latency'} error budget ${burn.factor}x too fast`,
          description: `Over the last ${burn.long} and ${burn.short}, {{ $value | humanizePercentage }} of requests of {{ $labels.job }} missed the ${what}: at this rate the 30-day budget lasts ${num(30 / burn.factor)} days.`,
          ...alertLinks(config, name, 'service-overview'),
        },
      };
    });
  return {
    name: `${config.service}-slo`,
    rules: [...recording, ...alert('errors', config.slo.availability), ...alert('slow', config.slo.latency)],
  };
}
