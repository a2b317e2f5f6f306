import { METRICS } from '@otelkit/node/names';
import type { MixinConfig } from '../config.js';
import { K6, PROMETHEUS_LABELS } from '../exporter-metrics.js';
import type { DashboardSpec } from '../grafana.js';
import {
  eq,
  maxBy,
  nativeQuantile,
  num,
  percent,
  quantile,
  rate,
  rateOrZero,
  ratio,
  re,
  sel,
  sumBy,
} from '../promql.js';
import { dashboardUid } from './uids.js';

const { testId, scenario, name, check, expectedResponse } = K6.labels;
const M = K6.metrics;

/** A k6 run from its Prometheus remote-write output, next to the service's own view of the same traffic. */
export function k6LoadTest(config: MixinConfig): DashboardSpec {
  const test = [re(testId, '$testid')];
  const run = [...test, re(scenario, '$scenario')];
  const k6 = (metric: string, ...extra: string[]) => sel(metric, ...run, ...extra);
  const { p95Seconds, p99Seconds } = config.loadTest;
  const expected = eq(expectedResponse, 'true');
  /** k6's request duration percentile over the rate window, from its native histogram (like the service's). */
  const k6Quantile = (q: number, by: string[], ...extra: string[]) =>
    nativeQuantile(q, M.httpReqDuration, [...run, ...extra], by);
  return {
    uid: dashboardUid(config, 'k6-load-test'),
    title: `${config.service} / k6 load test`,
    description:
      "k6 runs (experimental-prometheus-rw output, trends as native histograms) per scenario, with the thresholds of loadtest/ and the service's own latency for the same period.",
    tags: config.grafana.tags,
    variables: [
      {
        name: 'testid',
        label: 'Test id',
        description: 'k6 `testid` tag of the runs (k6 run --tag testid=...).',
        query: `label_values(${M.httpReqs}, ${testId})`,
        current: config.loadTest.testId,
      },
      {
        name: 'scenario',
        label: 'Scenario',
        description: 'k6 scenarios of the run.',
        query: `label_values(${sel(M.httpReqs, re(testId, '$testid'))}, ${scenario})`,
        includeAll: true,
        multi: true,
      },
      {
        name: 'job',
        label: 'Service',
        description: 'Prometheus job of the service under test.',
        query: `label_values(${METRICS.httpServerDuration}_count, ${PROMETHEUS_LABELS.job})`,
        current: config.jobs.service,
      },
    ],
    links: [{ title: 'Service overview', uid: dashboardUid(config, 'service-overview'), tooltip: 'RED metrics' }],
    rows: [
      {
        title: 'Load',
        panels: [
          {
            kind: 'timeseries',
            title: 'Virtual users',
            description:
              'Active virtual users and the configured maximum, over all scenarios (k6 does not tag them by scenario).',
            unit: 'short',
            queries: [
              { expr: sumBy([], sel(M.vus, ...test)), legend: 'vus' },
              { expr: sumBy([], sel(M.vusMax, ...test)), legend: 'vus max' },
            ],
          },
          {
            kind: 'timeseries',
            title: 'Request rate by scenario',
            description: 'HTTP requests per second sent by k6, per scenario, and iterations per second.',
            unit: 'reqps',
            queries: [
              { expr: sumBy([scenario], rate(k6(M.httpReqs))), legend: `requests {{${scenario}}}` },
              { expr: sumBy([scenario], rate(k6(M.iterations))), legend: `iterations {{${scenario}}}` },
            ],
          },
        ],
      },
      {
        title: 'Latency',
        panels: [
          {
            kind: 'timeseries',
            title: 'Request duration p50 / p95 / p99 (expected responses)',
            description: `Duration percentiles k6 measured for requests with an expected status, per scenario, over the rate window (k6's native histogram). Dashed: the thresholds p95 < ${p95Seconds} s and p99 < ${p99Seconds} s.`,
            unit: 's',
            queries: [0.5, 0.95, 0.99].map((q) => ({
              expr: k6Quantile(q, [scenario], expected),
              legend: `p${num(q * 100)} {{${scenario}}}`,
            })),
            thresholds: [
              { value: p95Seconds, color: 'orange' },
              { value: p99Seconds, color: 'red' },
            ],
          },
          {
            kind: 'timeseries',
            title: 'Request duration p95 by request name',
            description: 'k6 p95 duration per request name (method and route template), over the rate window.',
            unit: 's',
            queries: [{ expr: k6Quantile(0.95, [name]), legend: `{{${name}}}` }],
            thresholds: [{ value: p95Seconds, color: 'red' }],
          },
          {
            kind: 'timeseries',
            title: 'Client (k6) vs server (service) latency p95',
            description:
              "k6's p95 against the service's own server-side p95, both over the same rate window from a histogram (k6's native one, the service's classic one): the gap is network, queueing and the client itself.",
            unit: 's',
            queries: [
              { expr: k6Quantile(0.95, [], expected), legend: 'k6 p95' },
              {
                expr: quantile(0.95, METRICS.httpServerDuration, [eq(PROMETHEUS_LABELS.job, '$job')]),
                legend: 'service p95',
                exemplar: true,
              },
            ],
            thresholds: [{ value: p95Seconds, color: 'red' }],
            width: 24,
          },
        ],
      },
      {
        title: 'Errors and checks',
        panels: [
          {
            kind: 'timeseries',
            title: 'Failed requests',
            description: `Share of requests k6 counted as failed (unexpected status, expected_response="false"), per scenario; reads 0 while none fail. The threshold is ${percent(config.loadTest.failedRate)}.`,
            unit: 'percentunit',
            queries: [
              {
                // k6_http_req_failed_rate is 0 or 1 per tag set; weigh by requests instead
                expr: ratio(
                  rateOrZero(M.httpReqs, run, [eq(expectedResponse, 'false')], [scenario]),
                  sumBy([scenario], rate(k6(M.httpReqs))),
                ),
                legend: `{{${scenario}}}`,
              },
            ],
            thresholds: [{ value: config.loadTest.failedRate, color: 'red' }],
            min: 0,
          },
          {
            kind: 'timeseries',
            title: 'Failed checks by check',
            description: `Share of failed checks per check (1 - pass rate); the threshold allows ${percent(1 - config.loadTest.checksRate)}.`,
            unit: 'percentunit',
            queries: [{ expr: maxBy([check], `1 - ${k6(M.checksRate)}`), legend: `{{${check}}}` }],
            thresholds: [{ value: 1 - config.loadTest.checksRate, color: 'red' }],
            min: 0,
          },
        ],
      },
    ],
  };
}
