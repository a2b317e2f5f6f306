import { EXEMPLAR_TRACE_ID_LABEL, METRICS } from '@otelkit/node/names';
import { freeStackPorts, type K6Run, NativeStack, nativeTargets, runK6, targetFiles } from '@otelkit/stack';
import { PrometheusInstance, scrapeConfig, waitUntil } from '@otelkit/native-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ALL_VALUE,
  annotationQueries,
  breakerClosedInWindow,
  buildAll,
  COLLECTOR,
  DASHBOARD_KEYS,
  dashboardQueries,
  exporterMetrics,
  defaultVariableValues,
  isAlert,
  jaegerSearchUrl,
  K6,
  KUBERNETES,
  knownMetrics,
  type PanelQuery,
  parsePromql,
  PROMETHEUS_LABELS,
  renderFiles,
  sloRecordName,
  substituteVariables,
  variableQueries,
  vectorSelectors,
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
  // the demo's target with the labels the stack's Prometheus gives it (its namespace)
  const job = integerMixin.config.jobs.service;
  const demoTarget = JSON.parse(targetFiles(nativeTargets(stack.ports))[`targets/${job}.json`] ?? '[]');
  const config = JSON.parse(scrapeConfig({ [job]: [] }));
  return PrometheusInstance.start({
    config: JSON.stringify({
      ...config,
      scrape_configs: [{ job_name: job, static_configs: demoTarget }],
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
    const job = `{job="${mixin.config.jobs.service}", namespace="${mixin.config.namespace}"}`;
    await waitUntil(async () => (await prometheus().query(sloRecordName('errors', '5m') + job)).length > 0, {
      what: 'the 5m error-ratio recording',
      timeoutMs: 30_000,
    });
    const [errors] = await prometheus().query(sloRecordName('errors', '5m') + job);
    expect(Number(errors?.value[1])).toBe(0);
    const [slow] = await prometheus().query(sloRecordName('slow', '5m') + job);
    expect(Number(slow?.value[1])).toBeLessThan(1 - mixin.config.slo.latency);
  });

  it("the breaker alert's series exist: the demo's breaker was closed in the window (1), so the alert is quiet", async () => {
    const result = await prometheus().query(breakerClosedInWindow(mixin.config));
    expect(result.map((r) => Number(r.value[1]))).toEqual([1]);
  });

  describe('the namespace and cluster variables', () => {
    const scoped = ['service-overview', 'nodejs-runtime', 'postgresql'] as const;
    const { namespace } = KUBERNETES.labels;

    it.each(scoped)("%s: the namespace variable lists the stack's namespace (a target label)", async (key) => {
      const variable = variableQueries(mixin.dashboards[key]).find((v) => v.name === 'namespace');
      if (variable === undefined) throw new Error('no namespace variable');
      const selector = substituteVariables(variable.selector, valuesFor(key));
      const values = await prometheus().api<string[]>(`label/${namespace}/values`, { 'match[]': selector });
      expect(values).toEqual([mixin.config.namespace]);
    });

    it.each(scoped)(
      '%s: with All namespaces every query still shows data; with another namespace none',
      async (key) => {
        const queries = dashboardQueries(mixin.dashboards[key]).filter((q) => !needsKubernetes(q.expr, key));
        for (const query of queries) {
          const all = substituteVariables(query.expr, { ...valuesFor(key), namespace: ALL_VALUE });
          if (query.instant) expect((await prometheus().query(all)).length, all).toBeGreaterThan(0);
          else expect(await rangeData(all), all).toBeGreaterThan(0);
          const other = substituteVariables(query.expr, { ...valuesFor(key), namespace: 'another-namespace' });
          // `or 0 * <sibling>` and the like still give nothing when the sibling is filtered out too
          if (query.instant) expect(await prometheus().query(other), other).toEqual([]);
          else expect(await rangeData(other), other).toBe(0);
        }
      },
    );

    it.each(scoped)('%s: the alert annotation query runs (empty while nothing fires)', async (key) => {
      const [annotation] = annotationQueries(mixin.dashboards[key]);
      const expr = substituteVariables(annotation?.expr ?? '', valuesFor(key));
      expect(await rangeData(expr), expr).toBe(0);
    });
  });

  it("k6's request durations are native histograms, so its p95 is windowed like the service's", async () => {
    const [sample] = await prometheus()
      .api<{ result: Array<{ histogram?: [number, { count: string }] }> }>('query', {
        query: `${K6.metrics.httpReqDuration}{${K6.labels.testId}="${mixin.config.loadTest.testId}"}`,
      })
      .then((d) => d.result);
    expect(sample?.histogram?.[1].count, 'a native histogram sample').toBeDefined();
    // over the whole run, the client's p95 and the server's p95 of the same requests are of the same magnitude
    const [k6Query, serviceQuery] = dashboardQueries(mixin.dashboards['k6-load-test']).filter(
      (q) => q.panel === 'Client (k6) vs server (service) latency p95',
    );
    expect(k6Query?.expr).toContain(K6.metrics.httpReqDuration);
    const overRun = (expr = '') => {
      const values = valuesFor('k6-load-test');
      return substituteVariables(expr, { ...values, __rate_interval: values.__range ?? '' });
    };
    const [k6p95] = await prometheus().query(overRun(k6Query?.expr));
    const [servicep95] = await prometheus().query(overRun(serviceQuery?.expr));
    const client = Number(k6p95?.value[1]);
    const server = Number(servicep95?.value[1]);
    expect(client, overRun(k6Query?.expr)).toBeGreaterThan(0);
    expect(server, overRun(serviceQuery?.expr)).toBeGreaterThan(0);
    expect(client / server).toBeGreaterThan(0.2);
    expect(client / server).toBeLessThan(5);
  });

  it("a slow route's data link finds its slow traces in Jaeger", async () => {
    const top = dashboardQueries(mixin.dashboards['service-overview']).find((q) =>
      q.panel.startsWith('Top slow routes'),
    );
    const [slowest] = await prometheus().query(substituteVariables(top?.expr ?? '', valuesFor('service-overview')));
    if (slowest === undefined) throw new Error('no slow route');
    const from = Math.floor(startedAt * 1000);
    const to = Date.now();
    // the link as Grafana fills it in for the slowest route's bar, pointed at the stack's Jaeger
    const link = jaegerSearchUrl(mixin.config)
      .replace(/\$\{__field\.labels\.(\w+)\}/g, (_, label: string) => slowest.metric[label] ?? '')
      .replace('${__value.raw}', slowest.value[1])
      .replace('${__from}', String(from))
      .replace('${__to}', String(to));
    const search = new URL(link);
    expect(search.pathname).toBe('/search');
    const api = new URL(`/api/traces${search.search}`, stack.url(stack.ports.jaegerQuery));
    const body = (await (await fetch(api)).json()) as {
      data: Array<{ spans: Array<{ operationName: string; duration: number }> }>;
    };
    const operation = search.searchParams.get('operation');
    const minMicros = Number(slowest.value[1]) * 1e6;
    expect(body.data.length, api.href).toBeGreaterThan(0);
    for (const trace of body.data) {
      expect(trace.spans.some((span) => span.operationName === operation && span.duration >= minMicros)).toBe(true);
    }
  });

  it('every series an alert reads exists in the live stack (Kubernetes-only and failure-only metrics aside)', async () => {
    const failureOnly = COLLECTOR.failureOnly as readonly string[];
    const selectors = new Map<string, string>();
    for (const alert of mixin.alertRules.flatMap((g) => g.rules.filter(isAlert))) {
      for (const { metric, selector } of vectorSelectors(alert.expr)) {
        if (metrics.get(metric) === 'stack' && !failureOnly.includes(metric)) selectors.set(selector, alert.alert);
      }
    }
    expect(selectors.size).toBeGreaterThan(10);
    const empty: string[] = [];
    for (const [selector, alert] of selectors) {
      if ((await rangeData(selector)) === 0) empty.push(`${alert}: ${selector}`);
    }
    expect(empty).toEqual([]);
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
