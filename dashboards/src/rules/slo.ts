import { HTTP_LABELS, METRICS } from '@otelkit/node/names';
import type { MixinConfig } from '../config.js';
import { KUBERNETES, PROMETHEUS_LABELS } from '../exporter-metrics.js';
import { bucketMatcher, eq, num, orZero, percent, rate, re, sel, sumBy } from '../promql.js';
import { alertLinks } from './links.js';
import type { AlertingRule, RecordingRule, RuleGroup } from './types.js';

const COUNT = `${METRICS.httpServerDuration}_count`;
const BUCKET = `${METRICS.httpServerDuration}_bucket`;
const { job } = PROMETHEUS_LABELS;
/**
 * What every SLO recording keeps: the namespace and the job, so one service deployed in several namespaces (staging
 * and production in one cluster) has an SLO, burn rates and alerts per namespace instead of one blend of them. The
 * `namespace` label is a target label: kube-prometheus-stack's ServiceMonitors set it; the native stack and compose
 * set it in their scrape targets (stack/src/prometheus-targets.ts). Without it the recordings keep the job alone.
 */
export const SLO_AGGREGATION = [KUBERNETES.labels.namespace, job] as const;

/** The period the error budget is counted over (the burn-rate factors below assume it). */
export const SLO_PERIOD = '30d';

/** The windows the burn-rate alerts read (Google SRE workbook, "multiwindow, multi-burn-rate alerts"). */
export const SLO_WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'] as const;
type Window = (typeof SLO_WINDOWS)[number];

/**
 * Burn rates for a 30-day SLO: page when 2% of the budget burns in 1 h or 5% in 6 h, ticket when 10% burns in 1 day
 * or in 3 days. Each long window is paired with a short one (1/12 of it) so the alert resets soon after recovery.
 */
export const BURN_RATES: ReadonlyArray<{
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

/** The two SLIs: requests without a 5xx, requests faster than the latency threshold. */
export type Sli = 'errors' | 'slow';

/**
 * Recording-rule names of the two SLIs' error ratios over a window, `level:metric:operations` with the aggregation
 * labels as the level: `namespace_job:http_server_request_duration_seconds:error_ratio_rate5m`.
 */
export const sloRecordName = (sli: Sli, window: string): string =>
  `${SLO_AGGREGATION.join('_')}:${METRICS.httpServerDuration}:${sli === 'errors' ? 'error' : 'slow'}_ratio_rate${window}`;

/** The window of the per-second rates the error budget is summed from. */
export const SLO_RATE_WINDOW = '5m';

/**
 * Recording-rule names of the per-second rates over SLO_RATE_WINDOW of all requests, of 5xx responses and of slow
 * requests: `namespace_job:http_server_request_duration_seconds:requests_rate5m`. Summed over the SLO period they
 * give its bad share weighted by traffic (and never NaN: a quiet window adds 0 to both sums, where its ratio is 0/0).
 */
export const sloRateRecordName = (what: 'requests' | Sli): string =>
  `${SLO_AGGREGATION.join('_')}:${METRICS.httpServerDuration}:${what}_rate${SLO_RATE_WINDOW}`;

/**
 * The bad share of `sli` over the SLO period, weighted by traffic, from the rate recordings (`matchers` select the
 * service): what the error budget is spent by.
 */
export const badShareOverPeriod = (sli: Sli, matchers: string[]): string =>
  `sum_over_time(${sel(sloRateRecordName(sli), ...matchers)}[${SLO_PERIOD}]) / sum_over_time(${sel(sloRateRecordName('requests'), ...matchers)}[${SLO_PERIOD}])`;

/** Recording rules (per window) and burn-rate alerts of the availability and latency SLOs of one service. */
export function sloRules(config: MixinConfig): RuleGroup {
  const service = [eq(job, config.jobs.service)];
  const total = (w: string) => sumBy(SLO_AGGREGATION, rate(sel(COUNT, ...service), w));
  const errors = (w: string) =>
    orZero(sumBy(SLO_AGGREGATION, rate(sel(COUNT, ...service, re(HTTP_LABELS.statusCode, '5..')), w)), total(w));
  const fast = (w: string) =>
    sumBy(SLO_AGGREGATION, rate(sel(BUCKET, ...service, bucketMatcher(config.slo.latencyThresholdSeconds)), w));
  const rates: RecordingRule[] = [
    { record: sloRateRecordName('requests'), expr: total(SLO_RATE_WINDOW) },
    { record: sloRateRecordName('errors'), expr: errors(SLO_RATE_WINDOW) },
    { record: sloRateRecordName('slow'), expr: `${total(SLO_RATE_WINDOW)} - ${fast(SLO_RATE_WINDOW)}` },
  ];
  const recording: RecordingRule[] = SLO_WINDOWS.flatMap((w) => [
    {
      record: sloRecordName('errors', w),
      // 5xx over all requests; 0 (not absent) while there are requests and no 5xx
      expr: `${errors(w)} / ${total(w)}`,
    },
    {
      record: sloRecordName('slow', w),
      expr: `1 - (${fast(w)} / ${total(w)})`,
    },
  ]);
  const alert = (sli: Sli, objective: number): AlertingRule[] =>
    BURN_RATES.map((burn) => {
      const budget = 1 - objective;
      const over = (w: Window) => `${sel(sloRecordName(sli, w), ...service)} > ${num(burn.factor * budget)}`;
      const what =
        sli === 'errors'
          ? `availability SLO (${percent(objective)} of requests without 5xx)`
          : `latency SLO (${percent(objective)} of requests within ${config.slo.latencyThresholdSeconds} s)`;
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
          description: `Over the last ${burn.long} and ${burn.short}, {{ $value | humanizePercentage }} of requests of {{ $labels.job }} in namespace {{ $labels.namespace }} missed the ${what}: at this rate the 30-day budget lasts ${num(30 / burn.factor)} days.`,
          ...alertLinks(config, name, 'service-overview'),
        },
      };
    });
  return {
    name: `${config.service}-slo`,
    rules: [...rates, ...recording, ...alert('errors', config.slo.availability), ...alert('slow', config.slo.latency)],
  };
}
