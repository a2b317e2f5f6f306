/**
 * helm-values/prometheus-adapter.yaml: prometheus-adapter serving the demo's request rate and p95 latency per pod,
 * from the RED histogram @otelkit/node exports (METRICS.httpServerDuration), as custom metrics
 * (custom.metrics.k8s.io) for the demo chart's HorizontalPodAutoscaler. Only these two rules (the chart's default
 * rules are off). kubernetes/test/prometheus-adapter.e2e.test.ts expands the queries as the adapter does and runs
 * them against a real Prometheus scraping two demo processes under k6 load.
 */
import { METRICS } from '@otelkit/node/names';
import { STACK } from '@otelkit/stack-topology';
import { SERVICES } from '../cluster.js';

/** The custom metrics' names (the HPA's `pods.metric.name`; demo/chart/values.yaml autoscaling.customMetrics). */
export const CUSTOM_METRICS = {
  requestsPerSecond: 'http_server_requests_per_second',
  p95LatencySeconds: 'http_server_request_duration_p95_seconds',
} as const;

/** The rate window of both queries: long enough for 4 scrapes at kube-prometheus-stack's 30 s default. */
export const ADAPTER_RATE_WINDOW = '2m';

/** The label selector part every rule shares: the demo's series with the namespace and pod of their target. */
const RESOURCES = { overrides: { namespace: { resource: 'namespace' }, pod: { resource: 'pod' } } } as const;

export interface AdapterRule {
  seriesQuery: string;
  resources: typeof RESOURCES;
  name: { matches: string; as: string };
  metricsQuery: string;
}

export function adapterRules(): AdapterRule[] {
  const histogram = METRICS.httpServerDuration;
  const window = ADAPTER_RATE_WINDOW;
  return [
    {
      seriesQuery: `${histogram}_count{namespace!="",pod!=""}`,
      resources: RESOURCES,
      name: { matches: `^${histogram}_count$`, as: CUSTOM_METRICS.requestsPerSecond },
      metricsQuery: `sum by (<<.GroupBy>>) (rate(<<.Series>>{<<.LabelMatchers>>}[${window}]))`,
    },
    {
      seriesQuery: `${histogram}_bucket{namespace!="",pod!=""}`,
      resources: RESOURCES,
      name: { matches: `^${histogram}_bucket$`, as: CUSTOM_METRICS.p95LatencySeconds },
      // an idle pod has no quantile (0/0 = NaN, which the HPA cannot use): it counts as 0 s instead
      metricsQuery:
        `histogram_quantile(0.95, sum by (le, <<.GroupBy>>) (rate(<<.Series>>{<<.LabelMatchers>>}[${window}]))) >= 0` +
        ` or sum by (<<.GroupBy>>) (rate(${histogram}_count{<<.LabelMatchers>>}[${window}])) * 0`,
    },
  ];
}

/**
 * A rule's metricsQuery as the adapter sends it for a custom.metrics.k8s.io request of pods in a namespace
 * (prometheus-adapter's naming and query templates: Series is the series name, LabelMatchers the namespace and the
 * pods by regex, GroupBy the pod label).
 */
export function expandAdapterQuery(rule: AdapterRule, series: string, namespace: string, pods: string[]): string {
  return rule.metricsQuery
    .replaceAll('<<.Series>>', series)
    .replaceAll('<<.LabelMatchers>>', `namespace="${namespace}",pod=~"${pods.join('|')}"`)
    .replaceAll('<<.GroupBy>>', 'pod');
}

export function prometheusAdapterValues(): Record<string, unknown> {
  return {
    prometheus: { url: `http://${SERVICES.prometheus}`, port: STACK.prometheus.port },
    rules: { default: false, custom: adapterRules() },
  };
}
