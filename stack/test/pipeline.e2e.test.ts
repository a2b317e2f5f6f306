import { EXEMPLAR_TRACE_ID_LABEL, HTTP_LABELS, METRICS } from '@otelkit/node/names';
import { JOBS, STACK } from '@otelkit/stack-topology';
import { JaegerApi, tagOf } from '@otelkit/testkit';
import { waitUntil } from '@otelkit/native-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freeStackPorts, type K6Run, NativeStack, runK6 } from '../src/index.js';

let stack: NativeStack;
let jaeger: JaegerApi;
let k6: K6Run;

beforeAll(async () => {
  stack = await NativeStack.start({ ports: await freeStackPorts() });
  jaeger = new JaegerApi(stack.url(stack.ports.jaegerQuery));
  k6 = await runK6({
    scenario: 'smoke',
    baseUrl: stack.url(stack.ports.demo).replace(/\/$/, ''),
    prometheusUrl: stack.url(stack.ports.prometheus).replace(/\/$/, ''),
    env: { DURATION: '20s' },
  });
});
afterAll(async () => stack?.stop());

const query = (expr: string) => stack.prometheus?.query(expr) ?? Promise.resolve([]);
const value = async (expr: string) => Number((await query(expr))[0]?.value[1] ?? Number.NaN);

describe('k6 -> demo -> collector -> Jaeger, and Prometheus', () => {
  it('k6 smoke passes its thresholds', () => {
    const failed = Object.entries(k6.summary.metrics).flatMap(([metric, data]) =>
      Object.entries(data.thresholds ?? {})
        .filter(([, crossed]) => crossed)
        .map(([threshold]) => `${metric}: ${threshold}`),
    );
    expect(failed, k6.output.slice(-3000)).toEqual([]);
    expect(k6.exitCode).toBe(0);
    expect(Number(k6.summary.metrics.http_reqs?.count)).toBeGreaterThan(20);
  });

  it('Jaeger has the demo traces: the route-named server span and pg spans under one trace, continuing k6 trace context', async () => {
    let traces: Awaited<ReturnType<JaegerApi['traces']>> = [];
    await waitUntil(
      async () => {
        traces = await jaeger.traces(STACK.demo.service, { operation: 'GET /items/:id' });
        return traces.some((t) => t.spans.some((s) => s.operationName.startsWith('pg')));
      },
      { what: 'a GET /items/:id trace with pg spans in Jaeger', timeoutMs: 30_000 },
    );
    const trace = traces.find((t) => t.spans.some((s) => s.operationName.startsWith('pg')));
    if (trace === undefined) throw new Error('no trace');
    const server = trace.spans.find((s) => s.operationName === 'GET /items/:id');
    const ids = new Set(trace.spans.map((s) => s.spanID));
    // the server span's parent is k6's (not in the trace): k6 sent a sampled traceparent
    expect(server?.references.map((r) => ids.has(r.spanID))).toEqual([false]);
    expect(tagOf(server?.tags ?? [], 'http.route')).toBe('/items/:id');
    expect(
      trace.spans.some(
        (s) => tagOf(s.tags, 'db.system') === 'postgresql' || tagOf(s.tags, 'db.system.name') === 'postgresql',
      ),
    ).toBe(true);
    const process = trace.processes[server?.processID ?? ''];
    expect(process?.serviceName).toBe(STACK.demo.service);
    expect(tagOf(process?.tags ?? [], 'deployment.environment.name')).toBe('local');
    expect(tagOf(process?.tags ?? [], 'host.name')).toBeTruthy();
    expect(tagOf(process?.tags ?? [], 'process.pid')).toBeTruthy();
  });

  it('Prometheus has the RED metrics of the demo by route, pg_up, the collector and k6 metrics', async () => {
    await waitUntil(async () => (await value(`sum(${METRICS.httpServerDuration}_count{job="${JOBS.demo}"})`)) > 0, {
      what: 'demo RED metrics in Prometheus',
      timeoutMs: 30_000,
    });
    const routes = (
      await query(`count by (${HTTP_LABELS.route}) (${METRICS.httpServerDuration}_count{job="${JOBS.demo}"})`)
    ).map((r) => r.metric[HTTP_LABELS.route]);
    expect(routes).toEqual(expect.arrayContaining(['/items', '/items/:id', '/orders']));
    expect(await value('pg_up')).toBe(1);
    expect(await value(`sum(otelcol_receiver_accepted_spans_total{job="${JOBS.collector}"})`)).toBeGreaterThan(0);
    expect(await value(`sum(otelcol_exporter_sent_spans_total{job="${JOBS.collector}"})`)).toBeGreaterThan(0);
    expect(await value('sum(k6_http_reqs_total{testid="e2e"})')).toBeGreaterThan(0);
    for (const job of Object.values(JOBS)) expect(await value(`up{job="${job}"}`), job).toBe(1);
  });

  it('exemplars of the latency histogram resolve to traces in Jaeger', async () => {
    let traceIds: string[] = [];
    await waitUntil(
      async () => {
        const now = Date.now() / 1000;
        const data = await stack.prometheus?.api<Array<{ exemplars: Array<{ labels: Record<string, string> }> }>>(
          'query_exemplars',
          {
            query: `${METRICS.httpServerDuration}_bucket{job="${JOBS.demo}"}`,
            start: String(now - 600),
            end: String(now),
          },
        );
        traceIds = (data ?? []).flatMap((s) => s.exemplars.map((e) => e.labels[EXEMPLAR_TRACE_ID_LABEL] ?? ''));
        return traceIds.length >= 3;
      },
      { what: 'exemplars in Prometheus', timeoutMs: 30_000 },
    );
    for (const traceId of traceIds.slice(0, 10)) {
      await waitUntil(async () => (await jaeger.trace(traceId)) !== undefined, { what: `trace ${traceId} in Jaeger` });
    }
  });
});
