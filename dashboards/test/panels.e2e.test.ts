import { EXEMPLAR_TRACE_ID_LABEL, METRICS } from '@otelkit/node/names';
import { freeStackPorts, type K6Run, NativeStack, runK6 } from '@otelkit/stack';
import { PrometheusInstance, scrapeConfig, waitUntil } from '@otelkit/native-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildAll,
  COLLECTOR,
  DASHBOARD_KEYS,
  dashboardQueries,
  exporterMetrics,
  defaultVariableValues,
  isAlert,
  knownMetrics,
  type PanelQuery,
  parsePromql,
  PROMETHEUS_LABELS,
  renderFiles,
  sloRecordName,
  substituteVariables,
  variableQueries,
  withOverrides,
} from '../src/index.js';
import { prometheusFloat } from '../src/promql.js';

/**
 * Every panel of every dashboard, run against the real Prometheus of the native stack (the compose topology) after
 * a k6 smoke run: each query must return data. Panels over Kubernetes metrics (kube-state-metrics, cAdvisor,
 * k8sattributes) cannot have data here; the unit tests check them against the manifest.
 */
const mixin = buildAll();
const metrics = knownMetrics();
/**
 * A service whose latency threshold is an integer, which Prometheus 3 stores as `le="1.0"` while the demo exposes
 * `le="1"`: its rules run on a second Prometheus scraping the same demo under the same load.
 */
const INTEGER_THRESHOLD_SECONDS = 1;
const integerMixin = buildAll(withOverrides({ slo: { latencyThresholdSeconds: INTEGER_THRESHOLD_SECONDS } }));
let stack: NativeStack;
let integerPrometheus: PrometheusInstance;
let k6: K6Run;
let startedAt: number;

/** Prometheus 3 scraping the stack's demo every second, with `integerMixin`'s rules as the CLI renders them. */
function startIntegerPrometheus(): Promise<PrometheusInstance> {
  const rules = Object.entries(renderFiles(integerMixin))
    .filter(([path]) => path.startsWith('prometheus/'))
    .map(([path, text]) => [path.replace(/^prometheus\//, 'rules/'), text]);
  const demoMetrics = `127.0.0.1:${stack.ports.demoMetrics}`;
  return PrometheusInstance.start({
    config: JSON.stringify({
      ...JSON.parse(scrapeConfig({ [integerMixin.config.jobs.service]: [demoMetrics] })),
      rule_files: ['rules/*.yml'],
    }),
    files: Object.fromEntries(rules),
  });
}

beforeAll(async () => {
  stack = await NativeStack.start({ ports: await freeStackPorts() });
  integerPrometheus = await startIntegerPrometheus();
  startedAt = Date.now() / 1000;
  k6 = await runK6({
    scenario: 'smoke',
    baseUrl: stack.url(stack.ports.demo).replace(/\/$/, ''),
    prometheusUrl: stack.url(stack.ports.prometheus).replace(/\/$/, ''),
    testId: mixin.config.loadTest.testId,
    env: { DURATION: '30s' },
  });
  // two more scrapes of everything after the load, so every rate has samples on both sides
  await new Promise((resolve) => setTimeout(resolve, 12_000));
});
afterAll(async () => {
  await integerPrometheus?.stop();
  await stack?.stop();
});

const prometheus = () => {
  if (!stack.prometheus) throw new Error('no Prometheus in the stack');
  return stack.prometheus;
};

/** Grafana's variables for this run: the dashboards' defaults, and the intervals of a 5 s scrape. */
function valuesFor(key: (typeof DASHBOARD_KEYS)[number]): Record<string, string> {
  const range = Math.ceil(Date.now() / 1000 - startedAt) + 10;
  return {
    ...defaultVariableValues(mixin.dashboards[key]),
    __rate_interval: '20s',
    __interval: '5s',
    __range: `${range}s`,
  };
}

const needsKubernetes = (expr: string, key: (typeof DASHBOARD_KEYS)[number]) =>
  parsePromql(substituteVariables(expr, defaultVariableValues(mixin.dashboards[key]))).metrics.some(
    (m) => metrics.get(m) === 'kubernetes',
  );

/** The series of a range query over the run, with at least one number. */
async function rangeData(expr: string, server = prometheus()): Promise<number> {
  const data = await server.api<{ result: Array<{ values: Array<[number, string]> }> }>('query_range', {
    query: expr,
    start: String(Math.floor(startedAt)),
    end: String(Math.ceil(Date.now() / 1000)),
    step: '5',
  });
  return data.result.filter((series) => series.values.some(([, v]) => !Number.isNaN(Number(v)))).length;
}

describe('dashboards against the live stack under k6 load', () => {
  it('k6 ran and passed its thresholds', () => {
    expect(k6.exitCode, k6.output.slice(-2000)).toBe(0);
  });

  it('every metric of the manifest that the stack exports exists in Prometheus', async () => {
    const names = new Set(await prometheus().api<string[]>('label/__name__/values'));
    const expected = [...exporterMetrics()]
      .filter(([name, source]) => source === 'stack' && !(COLLECTOR.failureOnly as readonly string[]).includes(name))
      .map(([name]) => name);
    expect(expected.filter((name) => !names.has(name))).toEqual([]);
  });

  describe.each(DASHBOARD_KEYS)('%s', (key) => {
    const dashboard = mixin.dashboards[key];
    const queries = dashboardQueries(dashboard);
    const live = queries.filter((q) => !needsKubernetes(q.expr, key));

    it.each(live.map((q) => [`${q.panel} ${q.refId}`, q] as [string, PanelQuery]))(
      'panel %s shows data',
      async (_, query) => {
        const expr = substituteVariables(query.expr, valuesFor(key));
        if (query.instant) {
          const result = await prometheus().query(expr);
          expect(result.length, expr).toBeGreaterThan(0);
        } else {
          expect(await rangeData(expr), expr).toBeGreaterThan(0);
        }
      },
    );

    it('default variable values exist in Prometheus', async () => {
      for (const variable of variableQueries(dashboard)) {
        const value = defaultVariableValues(dashboard)[variable.name] ?? '';
        if (value === '.*' || needsKubernetes(variable.selector, key)) continue;
        const selector = substituteVariables(variable.selector, valuesFor(key));
        const values = await prometheus().api<string[]>(`label/${variable.label}/values`, { 'match[]': selector });
        expect(values, `${variable.name}: ${selector}`).toContain(value);
      }
    });

    if (key === 'kubernetes-workload') {
      it('has only Kubernetes panels (checked against the manifest, not live)', () => {
        expect(live).toEqual([]);
      });
    }
  });

  it('the exemplar queries of the service overview return exemplars carrying trace ids', async () => {
    const queries = dashboardQueries(mixin.dashboards['service-overview']).filter((q) => q.exemplar);
    expect(queries.length).toBeGreaterThan(0);
    for (const query of queries) {
      const exemplars = await prometheus().api<Array<{ exemplars: Array<{ labels: Record<string, string> }> }>>(
        'query_exemplars',
        {
          query: substituteVariables(query.expr, valuesFor('service-overview')),
          start: String(Math.floor(startedAt)),
          end: String(Math.ceil(Date.now() / 1000)),
        },
      );
      const traceIds = exemplars.flatMap((s) => s.exemplars.map((e) => e.labels[EXEMPLAR_TRACE_ID_LABEL]));
      expect(traceIds.length, query.panel).toBeGreaterThan(0);
      for (const id of traceIds) expect(id).toMatch(/^[0-9a-f]{32}$/);
    }
  });

  it('Prometheus loaded the generated rules, and the SLO recordings read 0 errors, not nothing', async () => {
    const groups = (await prometheus().api<{ groups: Array<{ name: string }> }>('rules')).groups.map((g) => g.name);
    expect(groups.sort()).toEqual([...mixin.recordingRules, ...mixin.alertRules].map((g) => g.name).sort());
    const job = `{job="${mixin.config.jobs.service}"}`;
    await waitUntil(async () => (await prometheus().query(sloRecordName('errors', '5m') + job)).length > 0, {
      what: 'the 5m error-ratio recording',
      timeoutMs: 30_000,
    });
    const [errors] = await prometheus().query(sloRecordName('errors', '5m') + job);
    expect(Number(errors?.value[1])).toBe(0);
    const [slow] = await prometheus().query(sloRecordName('slow', '5m') + job);
    expect(Number(slow?.value[1])).toBeLessThan(1 - mixin.config.slo.latency);
  });

  it('no alert fires on the healthy stack', async () => {
    const names = new Set([...mixin.alertRules].flatMap((g) => g.rules.filter(isAlert).map((r) => r.alert)));
    const firing = (await prometheus().query('ALERTS{alertstate="firing"}')).map((r) => r.metric.alertname);
    expect(firing.filter((name) => names.has(name ?? ''))).toEqual([]);
  });
});

describe(`an integer latency threshold (${INTEGER_THRESHOLD_SECONDS} s) on Prometheus 3`, () => {
  const bucket = `${METRICS.httpServerDuration}_bucket`;
  const job = `${PROMETHEUS_LABELS.job}="${integerMixin.config.jobs.service}"`;
  const stored = prometheusFloat(INTEGER_THRESHOLD_SECONDS);

  it(`stores the demo's ${INTEGER_THRESHOLD_SECONDS} s bucket as le="${stored}", not as exposed`, async () => {
    expect(stored).not.toBe(String(INTEGER_THRESHOLD_SECONDS));
    const count = async (le: string) => (await integerPrometheus.query(`${bucket}{${job}, le="${le}"}`)).length;
    expect(await count(stored)).toBeGreaterThan(0);
    expect(await count(String(INTEGER_THRESHOLD_SECONDS))).toBe(0);
  });

  it(`the "Requests faster than ${INTEGER_THRESHOLD_SECONDS} s" panel shows data`, async () => {
    const query = dashboardQueries(integerMixin.dashboards['service-overview']).find(
      (q) => q.panel === `Requests faster than ${INTEGER_THRESHOLD_SECONDS} s`,
    );
    if (query === undefined) throw new Error('no "Requests faster than" panel');
    const values = valuesFor('service-overview');
    const expr = substituteVariables(query.expr, values);
    expect(await rangeData(expr, integerPrometheus), expr).toBeGreaterThan(0);
    // over the whole run: the smoke load's requests are nearly all faster than 1 s
    const overRun = substituteVariables(query.expr, { ...values, __rate_interval: values.__range ?? '' });
    const [share] = await integerPrometheus.query(overRun);
    expect(Number(share?.value[1]), overRun).toBeGreaterThan(integerMixin.config.slo.latency);
  });

  it('the latency SLO recordings read the share of slow requests, not nothing', async () => {
    const record = `${sloRecordName('slow', '5m')}{${job}}`;
    await waitUntil(async () => (await integerPrometheus.query(record)).length > 0, {
      what: record,
      timeoutMs: 30_000,
    });
    const [slow] = await integerPrometheus.query(record);
    expect(Number(slow?.value[1])).toBeGreaterThanOrEqual(0);
    expect(Number(slow?.value[1])).toBeLessThan(1 - integerMixin.config.slo.latency);
  });
});
