import { HTTP_LABELS, METRICS } from '@otelkit/node/names';
import { DEMO_NAMES } from '@otelkit/stack-topology';
import type { MixinConfig } from '../config.js';
import { KUBERNETES, PROMETHEUS_LABELS } from '../exporter-metrics.js';
import type { DashboardSpec, PanelSpec, RowSpec } from '../grafana.js';
import {
  bucketMatcher,
  eq,
  maxBy,
  num,
  orZero,
  percent,
  quantile,
  rate,
  rateOrZero,
  ratio,
  re,
  sel,
  sumBy,
} from '../promql.js';
import { alertAnnotation, scopeMatchers, scopeVariables } from './scope.js';
import { sloRow } from './slo-row.js';
import { dashboardUid } from './uids.js';

const { route, method, statusCode } = HTTP_LABELS;
const { pod, namespace } = KUBERNETES.labels;
const COUNT = `${METRICS.httpServerDuration}_count`;
const BUCKET = `${METRICS.httpServerDuration}_bucket`;

/** Matchers of every panel: the selected cluster, namespaces, job, routes and pods. */
const base = () => [...scopeMatchers(), eq(PROMETHEUS_LABELS.job, '$job'), re(route, '$route'), re(pod, '$pod')];
/** The series of the selected job in the selected cluster and namespaces (the variables' own queries). */
const ofJob = () => sel(COUNT, ...scopeMatchers(), eq(PROMETHEUS_LABELS.job, '$job'));

/**
 * Jaeger's trace search for one route of the service: its server spans (named `<method> <route>` by
 * @otelkit/node) slower than the bar's value (the route's p95, in seconds, which Jaeger reads as a duration), within
 * the dashboard's time range (Jaeger takes microseconds, Grafana gives milliseconds).
 */
export function jaegerSearchUrl(config: MixinConfig): string {
  const operation = `\${__field.labels.${method}}%20\${__field.labels.${route}}`;
  return (
    `${config.jaegerUrl}/search?service=${encodeURIComponent(config.service)}&operation=${operation}` +
    '&minDuration=${__value.raw}s&start=${__from}000&end=${__to}000&lookback=custom&limit=20'
  );
}
const serverErrors = re(statusCode, '5..');
const clientErrors = re(statusCode, '4..');

/** RED of one service: request rate, error ratio, latency percentiles with exemplars, status codes, pods. */
export function serviceOverview(config: MixinConfig): DashboardSpec {
  const all = base();
  const requestRate = (by: string[]) => sumBy(by, rate(sel(COUNT, ...all)));
  const errorRatio = (by: string[]) => ratio(rateOrZero(COUNT, all, [serverErrors], by), requestRate(by));
  const latency = (q: number, by: string[] = []) => quantile(q, METRICS.httpServerDuration, all, by);
  const errorBudget = 1 - config.slo.availability;
  const threshold = config.slo.latencyThresholdSeconds;

  const latencyPanel: PanelSpec = {
    kind: 'timeseries',
    title: 'Latency p50 / p95 / p99',
    description:
      'Server-side request duration percentiles over the selected routes and pods. The dots are exemplars: each ' +
      'links to the trace of one request in Jaeger. The dashed line is the latency SLO threshold.',
    unit: 's',
    queries: [0.5, 0.95, 0.99].map((q) => ({ expr: latency(q), legend: `p${num(q * 100)}`, exemplar: true })),
    thresholds: [{ value: threshold, color: 'red' }],
  };
  return {
    uid: dashboardUid(config, 'service-overview'),
    title: `${config.service} / Service overview`,
    description: `RED metrics of ${config.service} from @otelkit/node (${METRICS.httpServerDuration}), with exemplars linked to Jaeger.`,
    tags: config.grafana.tags,
    variables: [
      ...scopeVariables(config, COUNT),
      {
        name: 'job',
        label: 'Service',
        description: 'Prometheus job of the service (its @otelkit/node /metrics).',
        query: `label_values(${sel(COUNT, ...scopeMatchers())}, ${PROMETHEUS_LABELS.job})`,
        current: config.jobs.service,
      },
      {
        name: 'route',
        label: 'Route',
        description: 'Route templates (http_route); the empty route counts requests that matched none.',
        query: `label_values(${ofJob()}, ${route})`,
        includeAll: true,
        multi: true,
      },
      {
        name: 'pod',
        label: 'Pod',
        description: 'Kubernetes pods of the service (empty outside Kubernetes, where All matches every instance).',
        query: `label_values(${ofJob()}, ${pod})`,
        includeAll: true,
        multi: true,
      },
    ],
    links: [
      {
        title: 'Kubernetes workload',
        uid: dashboardUid(config, 'kubernetes-workload'),
        tooltip: 'Pods, restarts, CPU and memory of the selected pods',
      },
      { title: 'Node.js runtime', uid: dashboardUid(config, 'nodejs-runtime'), tooltip: 'Event loop, GC, heap, CPU' },
      { title: 'PostgreSQL', uid: dashboardUid(config, 'postgresql'), tooltip: 'The database and the pg client side' },
    ],
    annotations: [alertAnnotation(eq(PROMETHEUS_LABELS.job, '$job'))],
    rows: [
      sloRow(config, [...scopeMatchers(), eq(PROMETHEUS_LABELS.job, '$job')]),
      {
        title: 'Golden signals',
        panels: [
          {
            kind: 'stat',
            title: 'Request rate',
            description: 'Requests per second answered by the service (health checks and /metrics excluded).',
            unit: 'reqps',
            queries: [{ expr: requestRate([]), legend: 'requests/s' }],
            width: 6,
          },
          {
            kind: 'stat',
            title: 'Error ratio (5xx)',
            description: `Share of requests answered with a 5xx status. The availability SLO allows ${percent(errorBudget)}; 4xx are the client's errors and do not count. Reads 0, not "No data", when there are no 5xx.`,
            unit: 'percentunit',
            queries: [{ expr: errorRatio([]), legend: '5xx ratio' }],
            thresholds: [
              { value: errorBudget / 2, color: 'orange' },
              { value: errorBudget, color: 'red' },
            ],
            width: 6,
          },
          {
            kind: 'stat',
            title: 'Latency p95',
            description: `95th percentile of the server-side request duration; the SLO threshold is ${threshold} s.`,
            unit: 's',
            queries: [{ expr: latency(0.95), legend: 'p95' }],
            thresholds: [
              { value: threshold / 2, color: 'orange' },
              { value: threshold, color: 'red' },
            ],
            width: 6,
          },
          {
            kind: 'stat',
            title: `Requests faster than ${threshold} s`,
            description: `The latency SLI: share of requests answered within ${threshold} s (objective ${percent(config.slo.latency)}).`,
            unit: 'percentunit',
            queries: [
              {
                expr: ratio(sumBy([], rate(sel(BUCKET, ...all, bucketMatcher(threshold)))), requestRate([])),
                legend: 'within threshold',
              },
            ],
            baseColor: 'red',
            thresholds: [{ value: config.slo.latency, color: 'green' }],
            min: 0,
            max: 1,
            width: 6,
          },
          {
            kind: 'timeseries',
            title: 'Request rate by route',
            description: 'Requests per second by method and route template.',
            unit: 'reqps',
            queries: [{ expr: requestRate([method, route]), legend: `{{${method}}} {{${route}}}` }],
          },
          {
            kind: 'timeseries',
            title: 'Error ratio (5xx) by route',
            description:
              'Share of 5xx responses per route; 0 for routes with traffic and no 5xx. The dashed line is the error budget of the availability SLO.',
            unit: 'percentunit',
            queries: [{ expr: errorRatio([route]), legend: `{{${route}}}` }],
            thresholds: [{ value: errorBudget, color: 'red' }],
            min: 0,
          },
        ],
      },
      {
        title: 'Latency',
        panels: [
          latencyPanel,
          {
            kind: 'timeseries',
            title: 'Latency p95 by route',
            description: '95th percentile request duration per route template, with exemplars linked to Jaeger.',
            unit: 's',
            queries: [{ expr: latency(0.95, [route]), legend: `{{${route}}}`, exemplar: true }],
            thresholds: [{ value: threshold, color: 'red' }],
          },
          {
            kind: 'bargauge',
            title: 'Top slow routes (p95 over the time range)',
            description:
              "The five routes with the highest 95th percentile duration over the whole selected range. Click a bar for Jaeger's traces of that route slower than its p95.",
            unit: 's',
            queries: [
              {
                expr: `topk(5, ${quantile(0.95, METRICS.httpServerDuration, all, [method, route], '$__range')})`,
                legend: `{{${method}}} {{${route}}}`,
                instant: true,
              },
            ],
            links: [
              {
                title: `Traces of \${__field.labels.${method}} \${__field.labels.${route}} slower than its p95`,
                url: jaegerSearchUrl(config),
                external: true,
              },
            ],
            thresholds: [
              { value: threshold / 2, color: 'orange' },
              { value: threshold, color: 'red' },
            ],
            width: 24,
          },
        ],
      },
      {
        title: 'Responses',
        panels: [
          {
            kind: 'timeseries',
            title: 'Responses by status code',
            description: 'Responses per second by HTTP status code, stacked.',
            unit: 'reqps',
            queries: [{ expr: requestRate([statusCode]), legend: `{{${statusCode}}}` }],
            stacked: true,
          },
          {
            kind: 'timeseries',
            title: '4xx and 5xx responses by route',
            description:
              'Client (4xx) and server (5xx) error responses per second by route; each reads 0 for routes with traffic and no such errors.',
            unit: 'reqps',
            queries: [
              { expr: rateOrZero(COUNT, all, [serverErrors], [route]), legend: `5xx {{${route}}}` },
              { expr: rateOrZero(COUNT, all, [clientErrors], [route]), legend: `4xx {{${route}}}` },
            ],
          },
        ],
      },
      databaseBreakerRow(),
      {
        title: 'Instances',
        panels: [
          {
            kind: 'timeseries',
            title: 'Request rate by pod',
            description:
              'Requests per second per pod (per instance outside Kubernetes). Click a series to open the Kubernetes workload dashboard for that pod.',
            unit: 'reqps',
            queries: [
              {
                expr: requestRate([namespace, pod, PROMETHEUS_LABELS.instance]),
                legend: `{{${pod}}} {{${PROMETHEUS_LABELS.instance}}}`,
              },
            ],
            links: [
              {
                title: 'Kubernetes workload of ${__field.labels.pod}',
                url: `/d/${dashboardUid(config, 'kubernetes-workload')}?var-pod=\${__field.labels.pod}&var-${namespace}=\${__field.labels.${namespace}}&\${__url_time_range}`,
              },
            ],
            width: 24,
          },
        ],
      },
    ],
  };
}

/**
 * The database circuit breaker of a service that has one (the demo's, DEMO_NAMES): its state over time, and the
 * requests it rejected or that were served degraded. It selects on the scope (cluster, namespace), the job and the
 * pods, not on the route (the breaker's metrics have none).
 */
function databaseBreakerRow(): RowSpec {
  const D = DEMO_NAMES.metrics;
  const matchers = [...scopeMatchers(), eq(PROMETHEUS_LABELS.job, '$job'), re(pod, '$pod')];
  const rejected = sumBy([], rate(sel(D.breakerRejected, ...matchers)));
  return {
    title: 'Database circuit breaker',
    panels: [
      {
        kind: 'timeseries',
        title: 'Database circuit breaker state',
        description:
          'The state of the database circuit breaker over time: 1 for the state it is in (closed, open, half_open), ' +
          'the highest over the selected pods. Open: database calls are answered 503 at once; half_open: one call probes the database.',
        unit: 'none',
        queries: [
          {
            expr: maxBy([DEMO_NAMES.labels.state], sel(D.breakerState, ...matchers)),
            legend: `{{${DEMO_NAMES.labels.state}}}`,
          },
        ],
        min: 0,
        max: 1,
      },
      {
        kind: 'timeseries',
        title: 'Requests rejected by the breaker, served degraded',
        description:
          'Requests per second answered 503 at once because the breaker was open, and reads served from the short-lived cache (X-Degraded: cache) while the database failed. Each reads 0 while nothing is rejected.',
        unit: 'reqps',
        queries: [
          { expr: rejected, legend: 'rejected (503)' },
          {
            expr: orZero(sumBy([], rate(sel(D.degradedResponses, ...matchers))), rejected),
            legend: 'served degraded',
          },
        ],
        min: 0,
      },
    ],
  };
}
