import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HTTP_LABELS, METRICS } from '@otelkit/node/names';
import { DEMO_NAMES } from '@otelkit/stack-topology';
import { toolBinary } from '@otelkit/native-runtime';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import {
  BREAKER_OPEN_WINDOW,
  buildAll,
  COLLECTOR,
  isAlert,
  ALL_VALUE,
  annotationQueries,
  dashboardQueries,
  defaultVariableValues,
  KUBERNETES,
  POSTGRES_EXPORTER,
  PROMETHEUS_ALERTS,
  PROMETHEUS_LABELS,
  renderFiles,
  sloRecordName,
  substituteVariables,
  withOverrides,
} from '../src/index.js';
import { num, prometheusFloat } from '../src/promql.js';

/**
 * `promtool check rules` on the generated rules files, and `promtool test rules` on them: series in, expected alerts
 * out. The test cases are built from the same constants as the rules, so a renamed metric breaks them too.
 */
const GENERATED = fileURLToPath(new URL('../generated/prometheus/', import.meta.url));
const mixin = buildAll();
const { config } = mixin;
const ruleFiles = [`${config.service}.recording.yml`, `${config.service}.alerts.yml`].map((f) => join(GENERATED, f));
const dir = mkdtempSync(join(tmpdir(), 'otelkit-promtool-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Rules files without annotations: promtool compares annotations too, and most descriptions render the alert's
 * value; one case below checks the rendered annotations of the real files.
 */
function withoutAnnotations(files: Array<{ name: string; text: string }>): string[] {
  return files.map(({ name, text }) => {
    const copy = join(dir, `bare-${name}`);
    const doc = parse(text) as { groups: Array<{ rules: Array<Record<string, unknown>> }> };
    for (const group of doc.groups) for (const rule of group.rules) delete rule.annotations;
    writeFileSync(copy, stringify(doc));
    return copy;
  });
}
const bareRuleFiles = withoutAnnotations(ruleFiles.map((f) => ({ name: basename(f), text: readFileSync(f, 'utf8') })));

/** The rules of a mixin whose latency threshold is `seconds` (rendered as the CLI writes them), without annotations. */
function rulesWithThreshold(seconds: number): string[] {
  const files = renderFiles(buildAll(withOverrides({ slo: { latencyThresholdSeconds: seconds } })));
  return withoutAnnotations(
    Object.entries(files)
      .filter(([path]) => path.startsWith('prometheus/'))
      .map(([path, text]) => ({ name: `${seconds}s-${basename(path)}`, text })),
  );
}

/** The pinned Prometheus 3 promtool (tools/build-go-tools.sh prometheus). */
const promtool = toolBinary('promtool');
const { job, instance, le } = PROMETHEUS_LABELS;

/** `metric{a="1", b="2"}` in promtool's series notation. */
const series = (metric: string, labels: Record<string, string>, values: string) => ({
  series: `${metric}{${Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(', ')}}`,
  values,
});

interface AlertCase {
  eval_time: string;
  alertname: string;
  exp_alerts: Array<{ exp_labels: Record<string, string>; exp_annotations?: Record<string, string> }>;
}

/** Alerts some case expects to fire, and alerts some case expects to stay silent (checked for every alert at the end). */
const fired = new Set<string>();
const silent = new Set<string>();

/** Runs one promtool unit test document and expects it to pass (promtool's output is the failure message). */
function expectPasses(...args: Parameters<typeof runPromtoolTest>): void {
  const result = runPromtoolTest(...args);
  expect(result.status, result.output).toBe(0);
}

/** Runs one promtool unit test document; returns promtool's output on failure. */
function runPromtoolTest(
  name: string,
  inputSeries: Array<{ series: string; values: string }>,
  alerts: AlertCase[],
  exprs: Array<{ expr: string; eval_time: string; exp_samples: Array<{ labels: string; value: number }> }> = [],
  files = bareRuleFiles,
) {
  for (const c of alerts) (c.exp_alerts.length > 0 ? fired : silent).add(c.alertname);
  const file = join(dir, `${name}.test.yml`);
  writeFileSync(
    file,
    stringify({
      rule_files: files,
      evaluation_interval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: inputSeries,
          alert_rule_test: alerts,
          promql_expr_test: exprs,
        },
      ],
    }),
  );
  const result = spawnSync(promtool, ['test', 'rules', file], { encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const { namespace } = KUBERNETES.labels;
const service = {
  [job]: config.jobs.service,
  [namespace]: config.namespace,
  [instance]: 'demo:9464',
  [HTTP_LABELS.route]: '/items',
};
/** The labels every SLO recording and burn-rate alert of the service keeps: namespace and job. */
const sloTarget = { [namespace]: config.namespace, [job]: config.jobs.service };
const sloTargetMatchers = `namespace="${config.namespace}", job="${config.jobs.service}"`;

/** The service overview's "<name> error budget left" query at 30m, with the dashboard's default variables. */
function budgetLeft(name: string, expected: Array<{ labels: string; value: number }>) {
  const dashboard = mixin.dashboards['service-overview'];
  const query = dashboardQueries(dashboard).find((q) => q.panel.startsWith(`${name} error budget left`));
  if (query === undefined) throw new Error(`no "${name} error budget left" panel`);
  const values = { ...defaultVariableValues(dashboard), namespace: ALL_VALUE };
  return { expr: substituteVariables(query.expr, values), eval_time: '30m', exp_samples: expected };
}
const requests = (status: string, values: string) =>
  series(`${METRICS.httpServerDuration}_count`, { ...service, [HTTP_LABELS.statusCode]: status }, values);
const sloLabels = (window: string) => ({ severity: 'critical', service: config.service, long_window: window });

describe('generated Prometheus rules', () => {
  it('pass promtool check rules', () => {
    const output = execFileSync(promtool, ['check', 'rules', ...ruleFiles], { encoding: 'utf8' });
    expect(output).toMatch(/SUCCESS: \d+ rules found/);
    expect(output).not.toMatch(/FAILED/);
  });

  it('page on a fast availability burn (10% 5xx for 30 minutes), on the 1h and 6h windows, per namespace', () => {
    // the same job in another namespace, healthy: its recordings and alerts stay apart
    const staging = { ...service, [namespace]: 'staging' };
    const stagingRequests = series(
      `${METRICS.httpServerDuration}_count`,
      { ...staging, [HTTP_LABELS.statusCode]: '200' },
      '0+100x60',
    );
    // the dashboards' alert annotation, with the variables Grafana substitutes by default
    const annotation = substituteVariables(
      annotationQueries(mixin.dashboards['service-overview'])[0]?.expr ?? '',
      defaultVariableValues(mixin.dashboards['service-overview']),
    );
    const firing = (window: string) =>
      `${PROMETHEUS_ALERTS.metric}{${Object.entries({
        alertname: 'ServiceAvailabilityBudgetBurn',
        alertstate: 'firing',
        ...sloLabels(window),
        ...sloTarget,
      })
        .map(([k, v]) => `${k}="${v}"`)
        .join(', ')}}`;
    expectPasses(
      'availability-burn',
      [requests('200', '0+90x60'), requests('500', '0+10x60'), requests('404', '0+20x60'), stagingRequests],
      [
        {
          eval_time: '30m',
          alertname: 'ServiceAvailabilityBudgetBurn',
          exp_alerts: [
            { exp_labels: { ...sloLabels('1h'), ...sloTarget } },
            { exp_labels: { ...sloLabels('6h'), ...sloTarget } },
          ],
        },
      ],
      [
        {
          expr: sloRecordName('errors', '1h'),
          eval_time: '30m',
          exp_samples: [
            {
              labels: `${sloRecordName('errors', '1h')}{namespace="${config.namespace}", job="${config.jobs.service}"}`,
              value: 10 / 120, // 5xx of all requests, 4xx included
            },
            { labels: `${sloRecordName('errors', '1h')}{namespace="staging", job="${config.jobs.service}"}`, value: 0 },
          ],
        },
        {
          expr: annotation,
          eval_time: '30m',
          exp_samples: [
            { labels: firing('1h'), value: 1 },
            { labels: firing('6h'), value: 1 },
          ],
        },
        // the SLO row's budget left: 1/12 of the requests failed against a budget of 0.1%; staging spent none
        budgetLeft('Availability', [
          { labels: `{${sloTargetMatchers}}`, value: 1 - 10 / 120 / Number(num(1 - config.slo.availability)) },
          { labels: `{namespace="staging", job="${config.jobs.service}"}`, value: 1 },
        ]),
      ],
    );
  });

  it('stay silent while only 4xx (client errors) occur, and record a 0 error ratio, not nothing', () => {
    expectPasses(
      'availability-healthy',
      [requests('200', '0+90x60'), requests('404', '0+30x60')],
      [
        { eval_time: '30m', alertname: 'ServiceAvailabilityBudgetBurn', exp_alerts: [] },
        { eval_time: '30m', alertname: 'ServiceLatencyBudgetBurn', exp_alerts: [] },
      ],
      [
        {
          expr: sloRecordName('errors', '5m'),
          eval_time: '30m',
          exp_samples: [
            {
              labels: `${sloRecordName('errors', '5m')}{namespace="${config.namespace}", job="${config.jobs.service}"}`,
              value: 0,
            },
          ],
        },
      ],
    );
  });

  it('page on a latency burn (half the requests slower than the threshold)', () => {
    const threshold = String(config.slo.latencyThresholdSeconds);
    expectPasses(
      'latency-burn',
      [
        requests('200', '0+100x60'),
        series(
          `${METRICS.httpServerDuration}_bucket`,
          { ...service, [HTTP_LABELS.statusCode]: '200', [le]: threshold },
          '0+50x60',
        ),
      ],
      [
        {
          eval_time: '30m',
          alertname: 'ServiceLatencyBudgetBurn',
          exp_alerts: [
            { exp_labels: { ...sloLabels('1h'), ...sloTarget } },
            { exp_labels: { ...sloLabels('6h'), ...sloTarget } },
          ],
        },
        { eval_time: '30m', alertname: 'ServiceAvailabilityBudgetBurn', exp_alerts: [] },
      ],
      // half the requests were slow, against a budget of 1%
      [
        budgetLeft('Latency', [
          { labels: `{${sloTargetMatchers}}`, value: 1 - 0.5 / Number(num(1 - config.slo.latency)) },
        ]),
      ],
    );
  });

  // Prometheus 3 stores scraped bucket boundaries in its own float format (le="1.0"), Prometheus 2 as exposed
  // (le="1", what @otelkit/node writes): an integer threshold must reach the bucket in both.
  describe.each([1, 10])('with an integer latency threshold of %s s', (seconds) => {
    const files = rulesWithThreshold(seconds);
    const bucket = (leValue: string, values: string) =>
      series(
        `${METRICS.httpServerDuration}_bucket`,
        { ...service, [HTTP_LABELS.statusCode]: '200', [le]: leValue },
        values,
      );
    /** The 5m slow-request ratio is recorded and lies in [low, high] (rates carry rounding noise: 5.0000000000017e-4). */
    const slowRatio = (low: number, high: number) => {
      const record = sloRecordName('slow', '5m');
      return {
        expr: `(${record} >= bool ${low}) * (${record} <= bool ${high})`,
        eval_time: '30m',
        exp_samples: [{ labels: `{namespace="${config.namespace}", job="${config.jobs.service}"}`, value: 1 }],
      };
    };

    it.each([
      ['Prometheus 3', prometheusFloat(seconds)],
      ['Prometheus 2', String(seconds)],
    ])('page on a latency burn with the bucket as %s stores it (le="%s")', (_, leValue) => {
      expectPasses(
        `latency-burn-${seconds}s-${leValue}`,
        [requests('200', '0+100x60'), bucket(leValue, '0+50x60')],
        [
          {
            eval_time: '30m',
            alertname: 'ServiceLatencyBudgetBurn',
            exp_alerts: [
              { exp_labels: { ...sloLabels('1h'), ...sloTarget } },
              { exp_labels: { ...sloLabels('6h'), ...sloTarget } },
            ],
          },
        ],
        [slowRatio(0.4999, 0.5001)],
        files,
      );
    });

    it(`stay silent while 99.95% of requests are within ${seconds} s (le="${prometheusFloat(seconds)}")`, () => {
      expectPasses(
        `latency-healthy-${seconds}s`,
        [requests('200', '0+2000x60'), bucket(prometheusFloat(seconds), '0+1999x60')],
        [{ eval_time: '30m', alertname: 'ServiceLatencyBudgetBurn', exp_alerts: [] }],
        [slowRatio(0.0004, 0.0006)],
        files,
      );
    });
  });

  const exporter = { [job]: config.jobs.postgresExporter, [instance]: 'postgres-exporter:9187' };
  const pgLabels = { ...exporter, service: config.service };

  it('alert when Postgres is down for a minute, with the rendered annotations of the generated file', () => {
    const rule = mixin.alertRules.flatMap((g) => g.rules.filter(isAlert)).find((r) => r.alert === 'PostgresDown');
    if (rule === undefined) throw new Error('no PostgresDown alert');
    const annotations: Record<string, string> = {
      ...rule.annotations,
      description: rule.annotations.description.replace('{{ $labels.instance }}', exporter[instance] ?? ''),
    };
    expectPasses(
      'postgres-down',
      [series(POSTGRES_EXPORTER.metrics.up, exporter, '1 1 0 0 0 0'), series('up', exporter, '1x5')],
      [
        // down for less than a minute
        { eval_time: '2m', alertname: 'PostgresDown', exp_alerts: [] },
        {
          eval_time: '5m',
          alertname: 'PostgresDown',
          exp_alerts: [{ exp_labels: { ...pgLabels, severity: 'critical' }, exp_annotations: annotations }],
        },
      ],
      [],
      ruleFiles,
    );
  });

  it('warn when connections stay above the share of max_connections', () => {
    const db = (datname: string) => ({ ...exporter, [POSTGRES_EXPORTER.labels.database]: datname });
    expectPasses(
      'postgres-connections',
      [
        series(POSTGRES_EXPORTER.metrics.backends, db(config.database), '100x4 160x10'),
        series(POSTGRES_EXPORTER.metrics.backends, db('postgres'), '10x14'),
        series(POSTGRES_EXPORTER.metrics.maxConnections, exporter, '200x14'),
        // 170 of 200 - 3 reserved = 86%; 110 of 197 = 56% before
        series(POSTGRES_EXPORTER.metrics.superuserReservedConnections, exporter, '3x14'),
      ],
      [
        { eval_time: '3m', alertname: 'PostgresConnectionsNearMax', exp_alerts: [] },
        {
          eval_time: '12m',
          alertname: 'PostgresConnectionsNearMax',
          exp_alerts: [{ exp_labels: { ...pgLabels, severity: 'warning' } }],
        },
      ],
    );
  });

  const collector = { [job]: config.jobs.collector, [instance]: 'otel-collector:8888' };
  const C = COLLECTOR.metrics;
  const receiver = { ...collector, [COLLECTOR.labels.receiver]: 'otlp', transport: 'grpc' };
  const exporterLabels = { ...collector, [COLLECTOR.labels.exporter]: 'otlp_grpc/jaeger' };
  /** One collector alert firing at 15m with the collector's target labels and `labels`. */
  const firing = (alertname: string, labels: Record<string, string>, severity: string): AlertCase => ({
    eval_time: '15m',
    alertname,
    exp_alerts: [{ exp_labels: { ...collector, ...labels, service: config.service, severity } }],
  });

  it('alert when the collector refuses and drops spans', () => {
    expectPasses(
      'collector-failing',
      [
        series(C.receiverAcceptedSpans, receiver, '0+100x20'),
        series(C.receiverRefusedSpans, receiver, '0+50x20'),
        series(C.exporterSentSpans, exporterLabels, '0+100x20'),
        // appears only after the first failure, as in the real collector
        series(C.exporterSendFailedSpans, exporterLabels, '_x5 0+20x15'),
        series(C.exporterQueueSize, { ...exporterLabels, data_type: 'traces' }, '950x20'),
        series(C.exporterQueueCapacity, { ...exporterLabels, data_type: 'traces' }, '1000x20'),
      ],
      [
        firing('OtelCollectorRefusingSpans', { [COLLECTOR.labels.receiver]: 'otlp' }, 'warning'),
        firing('OtelCollectorDroppingSpans', { [COLLECTOR.labels.exporter]: 'otlp_grpc/jaeger' }, 'critical'),
        firing('OtelCollectorQueueNearlyFull', { [COLLECTOR.labels.exporter]: 'otlp_grpc/jaeger' }, 'warning'),
      ],
    );
  });

  it('stay silent on a healthy collector whose failure counters do not exist yet', () => {
    expectPasses(
      'collector-healthy',
      [
        series(C.receiverAcceptedSpans, receiver, '0+100x20'),
        series(C.receiverRefusedSpans, receiver, '0x20'),
        series(C.exporterSentSpans, exporterLabels, '0+100x20'),
        series(C.exporterQueueSize, { ...exporterLabels, data_type: 'traces' }, '3x20'),
        series(C.exporterQueueCapacity, { ...exporterLabels, data_type: 'traces' }, '1000x20'),
      ],
      ['OtelCollectorRefusingSpans', 'OtelCollectorDroppingSpans', 'OtelCollectorQueueNearlyFull'].map((alertname) => ({
        eval_time: '15m',
        alertname,
        exp_alerts: [],
      })),
    );
  });

  it('warn when a pod of the service keeps restarting, not for other pods', () => {
    const { pod, container } = KUBERNETES.labels;
    const restarts = (podName: string, values: string) =>
      series(
        KUBERNETES.metrics.containerRestarts,
        { [job]: 'kube-state-metrics', [namespace]: config.namespace, [pod]: podName, [container]: 'app' },
        values,
      );
    expectPasses(
      'pod-restarts',
      [
        restarts('otelkit-demo-7d4b9c6f8d-x2x9z', '0 0 0 0 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15'),
        restarts('other-5c6d-abcde', '0+1x19'),
      ],
      [
        { eval_time: '4m', alertname: 'ServicePodRestarting', exp_alerts: [] },
        {
          eval_time: '19m',
          alertname: 'ServicePodRestarting',
          exp_alerts: [
            {
              exp_labels: {
                [namespace]: config.namespace,
                [pod]: 'otelkit-demo-7d4b9c6f8d-x2x9z',
                [container]: 'app',
                service: config.service,
                severity: 'warning',
              },
            },
          ],
        },
      ],
    );
  });

  it('stay silent on a burn in a quiet hour (fewer requests than slo.minRequestsPerSecond)', () => {
    // one request a minute, half of them 5xx and slow: far beyond the burn rates, but 0.017 requests/s
    expectPasses(
      'availability-quiet',
      [
        requests('200', '0+1x60'),
        requests('500', '0+1x60'),
        series(
          `${METRICS.httpServerDuration}_bucket`,
          { ...service, [HTTP_LABELS.statusCode]: '200', [le]: String(config.slo.latencyThresholdSeconds) },
          '0x60',
        ),
      ],
      ['ServiceAvailabilityBudgetBurn', 'ServiceLatencyBudgetBurn'].map((alertname) => ({
        eval_time: '50m',
        alertname,
        exp_alerts: [],
      })),
    );
  });

  const up = (jobName: string, values: string) => series('up', { [job]: jobName, [instance]: `${jobName}:1` }, values);
  const targetAlert = (alertname: string, labels: Record<string, string>, severity: string): AlertCase => ({
    eval_time: '10m',
    alertname,
    exp_alerts: [{ exp_labels: { ...labels, service: config.service, severity } }],
  });

  it('alert when a scrape target is down or missing from discovery', () => {
    expectPasses(
      'targets-down',
      [up(config.jobs.service, '1x3 0x10'), up(config.jobs.collector, '1x13')],
      [
        targetAlert(
          'ServiceTargetDown',
          { [job]: config.jobs.service, [instance]: `${config.jobs.service}:1` },
          'critical',
        ),
        // never scraped at all: absent(up{job=...}) carries the job of its matcher
        targetAlert('PostgresExporterTargetDown', { [job]: config.jobs.postgresExporter }, 'warning'),
        { eval_time: '10m', alertname: 'OtelCollectorTargetDown', exp_alerts: [] },
      ],
    );
  });

  it('stay silent while every target is up, and alert on a collector gone for 2 minutes only', () => {
    expectPasses(
      'targets-up',
      [
        up(config.jobs.service, '1x13'),
        up(config.jobs.collector, '1x5 0 1x7'),
        up(config.jobs.postgresExporter, '1x13'),
      ],
      [
        ...['ServiceTargetDown', 'OtelCollectorTargetDown', 'PostgresExporterTargetDown'].map((alertname) => ({
          eval_time: '10m',
          alertname,
          exp_alerts: [],
        })),
      ],
    );
    expectPasses(
      'collector-target-down',
      [up(config.jobs.collector, '1x3 0x10')],
      [
        targetAlert(
          'OtelCollectorTargetDown',
          { [job]: config.jobs.collector, [instance]: `${config.jobs.collector}:1` },
          'critical',
        ),
      ],
    );
  });

  const PG = POSTGRES_EXPORTER.metrics;
  const db = { ...exporter, [POSTGRES_EXPORTER.labels.database]: config.database };
  const dbAlert = (alertname: string, evalTime: string): AlertCase => ({
    eval_time: evalTime,
    alertname,
    exp_alerts: [{ exp_labels: { ...db, service: config.service, severity: 'warning' } }],
  });
  const quiet = (alertname: string, evalTime: string): AlertCase => ({
    eval_time: evalTime,
    alertname,
    exp_alerts: [],
  });

  it('alert on deadlocks, many rollbacks, a low cache hit ratio and a transaction left idle', () => {
    expectPasses(
      'postgres-mixin-firing',
      [
        series(PG.deadlocks, db, '0+2x30'),
        series(PG.xactCommit, db, '0+6000x30'),
        series(PG.xactRollback, db, '0+3000x30'),
        series(PG.blocksHit, db, '0+8000x30'),
        series(PG.blocksRead, db, '0+2000x30'),
        series(PG.activityMaxTxDuration, { ...db, state: POSTGRES_EXPORTER.states.idleInTransaction }, '0+60x30'),
      ],
      [
        dbAlert('PostgresDeadlocks', '25m'),
        dbAlert('PostgresRollbackRatioHigh', '25m'),
        dbAlert('PostgresCacheHitRatioLow', '25m'),
        dbAlert('PostgresIdleInTransaction', '25m'),
      ],
    );
  });

  it('stay silent on a healthy database, and on ratios of a nearly idle one', () => {
    expectPasses(
      'postgres-mixin-healthy',
      [
        series(PG.deadlocks, db, '0x10 1x20'),
        series(PG.xactCommit, db, '0+6000x30'),
        series(PG.xactRollback, db, '0+60x30'),
        series(PG.blocksHit, db, '0+9990x30'),
        series(PG.blocksRead, db, '0+10x30'),
        series(PG.activityMaxTxDuration, { ...db, state: POSTGRES_EXPORTER.states.idleInTransaction }, '0x30'),
        // a long *active* transaction is not idle in transaction
        series(PG.activityMaxTxDuration, { ...db, state: 'active' }, '0+60x30'),
      ],
      [
        'PostgresDeadlocks',
        'PostgresRollbackRatioHigh',
        'PostgresCacheHitRatioLow',
        'PostgresIdleInTransaction',
        'PostgresConnectionsNearMax',
      ].map((alertname) => quiet(alertname, '25m')),
    );
    // one transaction a minute, half rolled back, every block from disk: below postgresMinTransactionsPerSecond
    expectPasses(
      'postgres-mixin-idle',
      [
        series(PG.xactCommit, db, '0+1x30'),
        series(PG.xactRollback, db, '0+1x30'),
        series(PG.blocksHit, db, '0x30'),
        series(PG.blocksRead, db, '0+100x30'),
      ],
      ['PostgresRollbackRatioHigh', 'PostgresCacheHitRatioLow'].map((alertname) => quiet(alertname, '25m')),
    );
  });

  it('stay silent while Postgres is up', () => {
    expectPasses(
      'postgres-up',
      [series(PG.up, exporter, '1x10'), series('up', exporter, '1x10')],
      [quiet('PostgresDown', '8m')],
    );
  });

  it('stay silent on a busy collector that refuses and drops 0.1% of its spans', () => {
    expectPasses(
      'collector-ratio',
      [
        // 0.1% refused and 0.1% failing exports: below collectorFailureRatio
        series(C.receiverAcceptedSpans, receiver, '0+100000x20'),
        series(C.receiverRefusedSpans, receiver, '0+100x20'),
        series(C.exporterSentSpans, exporterLabels, '0+100000x20'),
        series(C.exporterSendFailedSpans, exporterLabels, '0+100x20'),
      ],
      ['OtelCollectorRefusingSpans', 'OtelCollectorDroppingSpans'].map((alertname) => quiet(alertname, '15m')),
    );
  });

  it('warn on event-loop lag of the service, not below the threshold', () => {
    const lag = (values: string) =>
      series(METRICS.eventLoopLagP99, { [job]: config.jobs.service, [instance]: 'demo:9464' }, values);
    expectPasses(
      'eventloop-lag',
      [lag('0.01x5 0.5x20')],
      [
        quiet('NodejsEventLoopLagHigh', '10m'),
        {
          eval_time: '20m',
          alertname: 'NodejsEventLoopLagHigh',
          exp_alerts: [
            {
              exp_labels: {
                [job]: config.jobs.service,
                [instance]: 'demo:9464',
                service: config.service,
                severity: 'warning',
              },
            },
          ],
        },
      ],
    );
    expectPasses('eventloop-healthy', [lag('0.01x25')], [quiet('NodejsEventLoopLagHigh', '20m')]);
  });

  const { namespace, pod, container, resource, reason } = KUBERNETES.labels;
  const demoPod = { [namespace]: config.namespace, [pod]: 'otelkit-demo-7d4b9c6f8d-x2x9z' };
  const podAlert = (alertname: string, evalTime: string): AlertCase => ({
    eval_time: evalTime,
    alertname,
    exp_alerts: [{ exp_labels: { ...demoPod, [container]: 'app', service: config.service, severity: 'warning' } }],
  });
  const memory = (workingSet: string) => [
    series(KUBERNETES.metrics.containerMemoryWorkingSet, { ...demoPod, [container]: 'app', id: '/a' }, workingSet),
    // cAdvisor's pod-level series (container="") is no container of its own
    series(KUBERNETES.metrics.containerMemoryWorkingSet, { ...demoPod, [container]: '', id: '/p' }, '2000000000x30'),
    series(
      KUBERNETES.metrics.containerResourceLimits,
      { ...demoPod, [container]: 'app', [resource]: KUBERNETES.values.memory, unit: 'byte' },
      '1000000000x30',
    ),
  ];

  it('warn when a container stays near its memory limit, not at half of it', () => {
    expectPasses('memory-near-limit', memory('950000000x30'), [podAlert('ServiceMemoryNearLimit', '20m')]);
    expectPasses('memory-healthy', memory('500000000x30'), [quiet('ServiceMemoryNearLimit', '20m')]);
  });

  it('warn when a container is OOM-killed, not when it restarts for another reason', () => {
    const restarted = (lastReason: string) => [
      series(
        KUBERNETES.metrics.containerRestarts,
        { [job]: 'kube-state-metrics', ...demoPod, [container]: 'app' },
        '0x5 1x10',
      ),
      series(
        KUBERNETES.metrics.containerLastTerminatedReason,
        { [job]: 'kube-state-metrics', ...demoPod, [container]: 'app', [reason]: lastReason },
        '_x5 1x10',
      ),
    ];
    expectPasses('oom-killed', restarted(KUBERNETES.values.oomKilled), [
      quiet('ServiceOOMKilled', '3m'),
      podAlert('ServiceOOMKilled', '8m'),
    ]);
    expectPasses('restart-error', restarted('Error'), [quiet('ServiceOOMKilled', '8m')]);
  });

  it('stay silent on a pod that restarted once', () => {
    const { namespace: ns, pod: p, container: c } = KUBERNETES.labels;
    expectPasses(
      'pod-restarted-once',
      [
        series(
          KUBERNETES.metrics.containerRestarts,
          { [job]: 'kube-state-metrics', [ns]: config.namespace, [p]: 'otelkit-demo-7d4b9c6f8d-x2x9z', [c]: 'app' },
          '0x5 1x15',
        ),
      ],
      [quiet('ServicePodRestarting', '19m')],
    );
  });

  describe('ServiceDatabaseBreakerOpen', () => {
    const demo = { [job]: config.jobs.service, [instance]: 'demo:9464' };
    /** The breaker's state gauge, one series per state, from per-minute state letters (c, o, h). */
    const breaker = (states: string) =>
      DEMO_NAMES.breakerStates.map((state) =>
        series(
          DEMO_NAMES.metrics.breakerState,
          { ...demo, [DEMO_NAMES.labels.state]: state },
          [...states].map((s) => ({ c: 'closed', o: 'open', h: 'half_open' })[s] === state ? '1' : '0').join(' '),
        ),
      );
    const firing = [{ exp_labels: { ...demo, severity: 'critical', service: config.service } }];

    it(`fires once the breaker has not been closed for ${BREAKER_OPEN_WINDOW} (open, failed half-open probes)`, () => {
      const result = runPromtoolTest('breaker-stuck-open', breaker('cccccohohohohohoho'), [
        { eval_time: '4m', alertname: 'ServiceDatabaseBreakerOpen', exp_alerts: [] },
        // last closed at 4m: the window (3m, 8m] still holds it, (5m, 10m] no longer does
        { eval_time: '8m', alertname: 'ServiceDatabaseBreakerOpen', exp_alerts: [] },
        { eval_time: '10m', alertname: 'ServiceDatabaseBreakerOpen', exp_alerts: firing },
      ]);
      expect(result.status, result.output).toBe(0);
    });

    it('stays silent while the breaker opens and closes again within the window', () => {
      const result = runPromtoolTest('breaker-flapping', breaker('ccoohcoohccoohccoohc'), [
        { eval_time: '6m', alertname: 'ServiceDatabaseBreakerOpen', exp_alerts: [] },
        { eval_time: '12m', alertname: 'ServiceDatabaseBreakerOpen', exp_alerts: [] },
        { eval_time: '18m', alertname: 'ServiceDatabaseBreakerOpen', exp_alerts: [] },
      ]);
      expect(result.status, result.output).toBe(0);
    });
  });

  it('every alert has a case that fires and one that stays silent (the tests above)', () => {
    const alerts = mixin.alertRules.flatMap((g) => g.rules.filter(isAlert).map((r) => r.alert));
    expect(alerts.filter((a) => !fired.has(a))).toEqual([]);
    expect(alerts.filter((a) => !silent.has(a))).toEqual([]);
  });
});
