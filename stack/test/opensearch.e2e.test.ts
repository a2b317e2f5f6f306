import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { OpenSearchInstance, toolBinary, waitUntil } from '@otelkit/native-runtime';
import { STACK } from '@otelkit/stack-topology';
import { JaegerApi, type JaegerTrace } from '@otelkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dailyIndex,
  freeStackPorts,
  indexCleanerArgs,
  NativeStack,
  OPENSEARCH_TRACE_STORE,
  openSearchStorage,
} from '../src/index.js';

/**
 * The trace store on a distributed engine, run for real: a single-node OpenSearch (the server jars from Maven
 * Central, @otelkit/native-runtime's OpenSearchInstance), Jaeger v2 with its `opensearch` storage, and the native stack's
 * demo and collector in front (demo -> collector -> Jaeger -> OpenSearch). The gateway tier is not in this path yet:
 * the collector exports to Jaeger directly.
 */
const DAY_MS = 86_400_000;
let opensearch: OpenSearchInstance;
let stack: NativeStack;
let jaeger: JaegerApi;
let traces: JaegerTrace[] = [];

const spanIndices = () => opensearch.indices(`${OPENSEARCH_TRACE_STORE.indexPrefix}-jaeger-*`);
let indices: string[] = [];

beforeAll(async () => {
  // creation dates may be set: the retention test creates the index of a day long past
  opensearch = await OpenSearchInstance.start({ allowIndexCreationDate: true });
  stack = await NativeStack.start({
    ports: await freeStackPorts(),
    // every request traced, whatever the SDK's default: the test counts traces
    demoEnv: { OTEL_TRACES_SAMPLER: 'always_on' },
    jaegerStorage: {
      name: OPENSEARCH_TRACE_STORE.backend,
      backend: openSearchStorage({ serverUrls: [opensearch.url], shards: 1, replicas: 0 }),
    },
  });
  jaeger = new JaegerApi(stack.url(stack.ports.jaegerQuery));
  for (let i = 0; i < 20; i++) {
    const response = await fetch(stack.url(stack.ports.demo, `/items/${(i % 5) + 1}`));
    await response.arrayBuffer();
  }
}, 600_000);

afterAll(async () => {
  await stack?.stop();
  await opensearch?.stop();
});

describe('Jaeger v2 on OpenSearch', () => {
  it('Jaeger created its index templates, and the spans land in the daily indices', async () => {
    const templates = await opensearch.request<Array<{ name: string }>>('GET', '/_cat/templates?format=json');
    expect(templates.map((t) => t.name)).toEqual(
      expect.arrayContaining([
        `${OPENSEARCH_TRACE_STORE.indexPrefix}-jaeger-span`,
        `${OPENSEARCH_TRACE_STORE.indexPrefix}-jaeger-service`,
      ]),
    );
    const today = [dailyIndex('span', new Date()), dailyIndex('service', new Date())];
    await waitUntil(
      async () => {
        indices = await spanIndices();
        return today.every((index) => indices.includes(index));
      },
      {
        what: `today's indices ${today.join(', ')}`,
        timeoutMs: 60_000,
        intervalMs: 1_000,
      },
    ).catch(async (error: unknown) => {
      throw new Error(`${String(error)}; indices: ${(await spanIndices()).join(', ')}`);
    });
  });

  it("the demo's traces come back through Jaeger's query API, read from OpenSearch", async () => {
    await waitUntil(
      async () => {
        // a daily index just created may not serve searches for a moment (Jaeger answers 500 then): ask again
        traces = await jaeger.traces(STACK.demo.service, { operation: 'GET /items/:id' }).catch(() => []);
        return traces.length >= 10 && traces.every((t) => t.spans.some((s) => s.operationName.startsWith('pg')));
      },
      { what: '10 GET /items/:id traces with their pg spans in Jaeger', timeoutMs: 60_000, intervalMs: 1_000 },
    );
    // the spans are OpenSearch documents: count one trace's spans in the span index
    const traceId = traces[0]?.traceID ?? '';
    const found = await opensearch.request<{ count: number }>(
      'POST',
      `/${OPENSEARCH_TRACE_STORE.indexPrefix}-jaeger-span-*/_count`,
      { query: { term: { traceID: traceId } } },
    );
    expect(found.count).toBe(traces[0]?.spans.length);
  });

  it('a restarted Jaeger finds every trace again', async () => {
    expect(traces.length).toBeGreaterThanOrEqual(10);
    const jaegerProcess = stack.component(STACK.jaeger.service);
    await jaegerProcess.stop();
    await jaegerProcess.start();
    for (const before of traces) {
      const after = await jaeger.trace(before.traceID);
      expect(after?.spans.map((s) => s.spanID).sort(), before.traceID).toEqual(
        before.spans.map((s) => s.spanID).sort(),
      );
    }
    expect(await jaeger.services()).toContain(STACK.demo.service);
  });

  it('the retention job (es-index-cleaner) deletes the expired daily indices and keeps the recent ones', async () => {
    const expiredDay = new Date(Date.now() - (OPENSEARCH_TRACE_STORE.retentionDays + 3) * DAY_MS);
    const keptDay = new Date(Date.now() - (OPENSEARCH_TRACE_STORE.retentionDays - 2) * DAY_MS);
    // daily indices as Jaeger made them on those days: named for the day, created on it
    for (const [day, kinds] of [
      [expiredDay, ['span', 'service'] as const],
      [keptDay, ['span'] as const],
    ] as const) {
      for (const kind of kinds) {
        await opensearch.request('PUT', `/${dailyIndex(kind, day)}`, {
          settings: { 'index.creation_date': day.getTime() },
        });
      }
    }
    const before = await spanIndices();
    expect(before).toEqual(expect.arrayContaining([dailyIndex('span', expiredDay), dailyIndex('service', expiredDay)]));
    const { stdout, stderr } = await promisify(execFile)(
      toolBinary('es-index-cleaner'),
      indexCleanerArgs(opensearch.url),
    );
    const after = await spanIndices();
    expect(after, `${stdout}\n${stderr}`).toEqual(
      before.filter((i) => i !== dailyIndex('span', expiredDay) && i !== dailyIndex('service', expiredDay)),
    );
    expect(after).toEqual(
      expect.arrayContaining([
        dailyIndex('span', keptDay),
        dailyIndex('span', new Date()),
        dailyIndex('service', new Date()),
      ]),
    );
    // today's traces are still there
    expect(await jaeger.trace(traces[0]?.traceID ?? '')).toBeDefined();
  });
});
