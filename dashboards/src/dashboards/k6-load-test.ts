import { METRICS } from '@otelkit/node/names';
import type { MixinConfig } from '../config.js';
import { K6, PROMETHEUS_LABELS } from '../exporter-metrics.js';
import type { DashboardSpec } from '../grafana.js';
import { eq, maxBy, quantile, rate, rateOrZero, ratio, re, sel, sumBy } from '../promql.js';
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
  return {
    uid: dashboardUid(config, 'k6-load-test'),
    title: `${config.service} / k6 load test`,
    description:
      "k6 runs (experimental-prometheus-rw output, trend stats p50/p95/p99) per scenario, with the thresholds of loadtest/ and the service's own latency for the same period.",
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
            description: `Duration percentiles k6 measured for requests with an expected status, per scenario (worst request name). Dashed: the thresholds p95 < ${p95Seconds} s and p99 < ${p99Seconds} s.`,
            unit: 's',
            queries: [
              { expr: maxBy([scenario], k6(M.httpReqDurationP50, expected)), legend: `p50 {{${scenario}}}` },
              { expr: maxBy([scenario], k6(M.httpReqDurationP95, expected)), legend: `p95 {{${scenario}}}` },
              { expr: maxBy([scenario], k6(M.httpReqDurationP99, expected)), legend: `p99 {{${scenario}}}` },
            ],
            thresholds: [
              { value: p95Seconds, color: 'orange' },
              { value: p99Seconds, color: 'red' },
            ],
          },
          {
            kind: 'timeseries',
            title: 'Request duration p95 by request name',
            description: 'k6 p95 duration per request name (method and route template).',
            unit: 's',
            queries: [{ expr: maxBy([name], k6(M.httpReqDurationP95)), legend: `{{${name}}}` }],
            thresholds: [{ value: p95Seconds, color: 'red' }],
          },
          {
            kind: 'timeseries',
            title: 'Client (k6) vs server (service) latency p95',
            description:
              "k6's p95 against the service's own server-side p95 for the same period: the gap is network, queueing and the client itself.",
            unit: 's',
            queries: [
              { expr: maxBy([], k6(M.httpReqDurationP95, expected)), legend: 'k6 p95' },
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
            description: `Share of requests k6 counted as failed (unexpected status, expected_response="false"), per scenario; reads 0 while none fail. The threshold is ${config.loadTest.failedRate * 100}%.`,
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
            description: `Share of failed checks per check (1 - pass rate); the threshold allows ${Math.round((1 - config.loadTest.checksRate) * 1000) / 10}%.`,
            unit: 'percentunit',
            queries: [{ expr: maxBy([check], `1 - ${k6(M.checksRate)}`), legend: `{{${check}}}` }],
            thresholds: [{ value: Number((1 - config.loadTest.checksRate).toPrecision(6)), color: 'red' }],
            min: 0,
          },
        ],
      },
    ],
  };
}
