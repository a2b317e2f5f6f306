import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HTTP_LABELS, METRICS } from '@otelkit/node/names';
import { toolBinary } from '@otelkit/native-runtime';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import {
  buildAll,
  COLLECTOR,
  isAlert,
  KUBERNETES,
  POSTGRES_EXPORTER,
  PROMETHEUS_LABELS,
  renderFiles,
  sloRecordName,
  withOverrides,
} from '../src/index.js';
import { prometheusFloat } from '../src/promql.js';

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

/** Runs one promtool unit test document; returns promtool's output on failure. */
function runPromtoolTest(
  name: string,
  inputSeries: Array<{ series: string; values: string }>,
  alerts: AlertCase[],
  exprs: Array<{ expr: string; eval_time: string; exp_samples: Array<{ labels: string; value: number }> }> = [],
  files = bareRuleFiles,
) {
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

const service = { [job]: config.jobs.service, [instance]: 'demo:9464', [HTTP_LABELS.route]: '/items' };
const requests = (status: string, values: string) =>
  series(`${METRICS.httpServerDuration}_count`, { ...service, [HTTP_LABELS.statusCode]: status }, values);
const sloLabels = (window: string) => ({ severity: 'critical', service: config.service, long_window: window });

describe('generated Prometheus rules', () => {
  it('pass promtool check rules', () => {
    const output = execFileSync(promtool, ['check', 'rules', ...ruleFiles], { encoding: 'utf8' });
    expect(output).toMatch(/SUCCESS: \d+ rules found/);
    expect(output).not.toMatch(/FAILED/);
  });

  it('page on a fast availability burn (10% 5xx for 30 minutes), on the 1h and 6h windows', () => {
    const result = runPromtoolTest(
      'availability-burn',
      [requests('200', '0+90x60'), requests('500', '0+10x60'), requests('404', '0+20x60')],
      [
        {
          eval_time: '30m',
          alertname: 'ServiceAvailabilityBudgetBurn',
          exp_alerts: [
            { exp_labels: { ...sloLabels('1h'), job: config.jobs.service } },
            { exp_labels: { ...sloLabels('6h'), job: config.jobs.service } },
          ],
        },
      ],
    );
    expect(result.status, result.output).toBe(0);
  });

  it('stay silent while only 4xx (client errors) occur, and record a 0 error ratio, not nothing', () => {
    const result = runPromtoolTest(
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
          exp_samples: [{ labels: `${sloRecordName('errors', '5m')}{job="${config.jobs.service}"}`, value: 0 }],
        },
      ],
    );
    expect(result.status, result.output).toBe(0);
  });

  it('page on a latency burn (half the requests slower than the threshold)', () => {
    const threshold = String(config.slo.latencyThresholdSeconds);
    const result = runPromtoolTest(
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
            { exp_labels: { ...sloLabels('1h'), job: config.jobs.service } },
            { exp_labels: { ...sloLabels('6h'), job: config.jobs.service } },
          ],
        },
        { eval_time: '30m', alertname: 'ServiceAvailabilityBudgetBurn', exp_alerts: [] },
      ],
    );
    expect(result.status, result.output).toBe(0);
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
        exp_samples: [{ labels: `{job="${config.jobs.service}"}`, value: 1 }],
      };
    };

    it.each([
      ['Prometheus 3', prometheusFloat(seconds)],
      ['Prometheus 2', String(seconds)],
    ])('page on a latency burn with the bucket as %s stores it (le="%s")', (_, leValue) => {
      const result = runPromtoolTest(
        `latency-burn-${seconds}s-${leValue}`,
        [requests('200', '0+100x60'), bucket(leValue, '0+50x60')],
        [
          {
            eval_time: '30m',
            alertname: 'ServiceLatencyBudgetBurn',
            exp_alerts: [
              { exp_labels: { ...sloLabels('1h'), job: config.jobs.service } },
              { exp_labels: { ...sloLabels('6h'), job: config.jobs.service } },
            ],
          },
        ],
        [slowRatio(0.4999, 0.5001)],
        files,
      );
      expect(result.status, result.output).toBe(0);
    });

    it(`stay silent while 99.95% of requests are within ${seconds} s (le="${prometheusFloat(seconds)}")`, () => {
      const result = runPromtoolTest(
        `latency-healthy-${seconds}s`,
        [requests('200', '0+2000x60'), bucket(prometheusFloat(seconds), '0+1999x60')],
        [{ eval_time: '30m', alertname: 'ServiceLatencyBudgetBurn', exp_alerts: [] }],
        [slowRatio(0.0004, 0.0006)],
        files,
      );
      expect(result.status, result.output).toBe(0);
    });
  });

  const exporter = { [job]: config.jobs.postgresExporter, [instance]: 'postgres-exporter:9187' };
  const pgLabels = { ...exporter, service: config.service };

  it('alert when Postgres is down for a minute, with the rendered annotations of the generated file', () => {
    const rule = mixin.alertRules.flatMap((g) => g.rules.filter(isAlert)).find((r) => r.alert === 'PostgresDown');
    const annotations = {
      ...rule?.annotations,
      description: rule?.annotations.description.replace('{{ $labels.instance }}', exporter[instance] ?? ''),
    };
    const result = runPromtoolTest(
      'postgres-down',
      [series(POSTGRES_EXPORTER.metrics.up, exporter, '1 1 0 0 0 0'), series('up', exporter, '1x5')],
      [
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
    expect(result.status, result.output).toBe(0);
  });

  it('warn when connections stay above the share of max_connections', () => {
    const db = (datname: string) => ({ ...exporter, [POSTGRES_EXPORTER.labels.database]: datname });
    const result = runPromtoolTest(
      'postgres-connections',
      [
        series(POSTGRES_EXPORTER.metrics.backends, db(config.database), '100x4 160x10'),
        series(POSTGRES_EXPORTER.metrics.backends, db('postgres'), '10x14'),
        series(POSTGRES_EXPORTER.metrics.maxConnections, exporter, '200x14'),
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
    expect(result.status, result.output).toBe(0);
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
    const result = runPromtoolTest(
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
    expect(result.status, result.output).toBe(0);
  });

  it('stay silent on a healthy collector whose failure counters do not exist yet', () => {
    const result = runPromtoolTest(
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
    expect(result.status, result.output).toBe(0);
  });

  it('warn when a pod of the service keeps restarting, not for other pods', () => {
    const { namespace, pod, container } = KUBERNETES.labels;
    const restarts = (podName: string, values: string) =>
      series(
        KUBERNETES.metrics.containerRestarts,
        { [job]: 'kube-state-metrics', [namespace]: config.namespace, [pod]: podName, [container]: 'app' },
        values,
      );
    const result = runPromtoolTest(
      'pod-restarts',
      [
        restarts('otelkit-demo-7d4b9c6f8d-x2x9z', '0 0 0 0 0 1 2 3 4 5 6 7 8 9 10'),
        restarts('other-5c6d-abcde', '0+1x14'),
      ],
      [
        { eval_time: '4m', alertname: 'ServicePodRestarting', exp_alerts: [] },
        {
          eval_time: '14m',
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
    expect(result.status, result.output).toBe(0);
  });
});
