import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { OpenSearchInstance, toolBinary, waitUntil } from '@otelkit/native-runtime';
import type { JaegerTrace } from '@otelkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dailyIndex, indexCleanerArgs, type K6Run, OPENSEARCH_TRACE_STORE, openSearchStorage } from '../src/index.js';
import {
  countsOnceComplete,
  type GatewayTier,
  incomplete,
  runLoad,
  type Served,
  SERVICE,
  spanCounts,
  SPANS_PER_TRACE,
  startGatewayTier,
  type StartingTier,
  stopGatewayTier,
  traceIdsOf,
} from './tier-under-load.js';

/**
 * The trace store on a distributed engine, run for real, behind the gateway tier: a single-node OpenSearch (the
 * server jars from Maven Central, @otelkit/native-runtime's OpenSearchInstance), Jaeger v2 with its `opensearch`
 * storage, and in front of it the path a scaled-out stack runs (tier-under-load.ts): service -> agent
 * (load_balancing by trace id) -> two gateways (tail sampling) -> Jaeger -> OpenSearch. k6 sends a short mix of
 * fast, slow and failed requests; what the gateways keep (every failed and slow trace, a share of the rest) must be
 * in OpenSearch complete, readable through Jaeger's API, also after Jaeger restarts.
 */
const DAY_MS = 86_400_000;
const RATE = 20;
const DURATION_S = 10;
let opensearch: OpenSearchInstance;
const started: StartingTier = { dir: mkdtempSync(join(tmpdir(), 'otelkit-opensearch-')), processes: [] };
let tier: GatewayTier;
let k6: K6Run;
let served: Served[] = [];
/** The traces kept by tail sampling, as Jaeger returned them from OpenSearch. */
let kept: JaegerTrace[] = [];

const spanIndices = () => opensearch.indices(`${OPENSEARCH_TRACE_STORE.indexPrefix}-jaeger-*`);
let indices: string[] = [];

beforeAll(async () => {
  // creation dates may be set: the retention test creates the index of a day long past
  opensearch = await OpenSearchInstance.start({ allowIndexCreationDate: true });
  tier = await startGatewayTier(started, {
    jaegerStorage: {
      name: OPENSEARCH_TRACE_STORE.backend,
      backend: openSearchStorage({ serverUrls: [opensearch.url], shards: 1, replicas: 0 }),
    },
  });
  ({ k6, served } = await runLoad(tier, 'opensearch', { rate: RATE, durationS: DURATION_S }));
}, 600_000);

afterAll(async () => {
  await stopGatewayTier(started);
  await opensearch?.stop();
  rmSync(started.dir, { recursive: true, force: true });
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

  it('k6 sent the mix through the agent and the gateways without errors', () => {
    expect(k6.exitCode, k6.output.slice(-3000)).toBe(0);
    expect(served.length).toBeGreaterThan(RATE * DURATION_S * 0.9);
    expect(traceIdsOf(served, 'error').length).toBeGreaterThan(5);
    expect(traceIdsOf(served, 'slow').length).toBeGreaterThan(5);
  });

  it("every failed and every slow trace comes back complete through Jaeger's query API, read from OpenSearch", async () => {
    const wanted = traceIdsOf(served, 'error', 'slow');
    expect(incomplete(await countsOnceComplete(tier.jaeger, wanted, 90_000)), `of ${wanted.length}`).toEqual([]);
  });

  it('the other traces are a sampled share, each complete, and OpenSearch holds exactly the kept traces', async () => {
    const ok = traceIdsOf(served, 'ok');
    const counts = await spanCounts(tier.jaeger, ok);
    const keptOk = [...counts].filter(([, n]) => n > 0);
    // the baseline is 10%: far fewer than all, every one with all its spans
    expect(keptOk.length, `kept ${keptOk.length} of ${ok.length}`).toBeLessThan(ok.length / 2);
    expect(keptOk.filter(([, n]) => n !== SPANS_PER_TRACE)).toEqual([]);
    const keptIds = [...traceIdsOf(served, 'error', 'slow'), ...keptOk.map(([id]) => id)];
    kept = await Promise.all(keptIds.map(async (id) => (await tier.jaeger.trace(id)) as JaegerTrace));
    // the spans are OpenSearch documents: the span indices hold these traces' spans and nothing else of the service
    const search = await opensearch.request<{
      hits: { total: { value: number } };
      aggregations: { traces: { value: number } };
    }>('POST', `/${OPENSEARCH_TRACE_STORE.indexPrefix}-jaeger-span-*/_search`, {
      size: 0,
      track_total_hits: true,
      query: { term: { 'process.serviceName': SERVICE } },
      aggs: { traces: { cardinality: { field: 'traceID', precision_threshold: 40_000 } } },
    });
    process.stderr.write(
      `[opensearch] served ${served.length} requests; kept ${keptIds.length} traces ` +
        `(${keptIds.length - keptOk.length} failed or slow, ${keptOk.length} of ${ok.length} others); ` +
        `OpenSearch: ${search.aggregations.traces.value} traces, ${search.hits.total.value} spans\n`,
    );
    expect(search.aggregations.traces.value).toBe(keptIds.length);
    expect(search.hits.total.value).toBe(keptIds.length * SPANS_PER_TRACE);
  });

  it('a restarted Jaeger finds every kept trace again, complete', async () => {
    expect(kept.length).toBeGreaterThan(10);
    await tier.jaegerProcess.stop();
    await tier.jaegerProcess.start();
    for (const before of kept) {
      const after = await tier.jaeger.trace(before.traceID);
      expect(after?.spans.map((s) => s.spanID).sort(), before.traceID).toEqual(
        before.spans.map((s) => s.spanID).sort(),
      );
    }
    expect(await tier.jaeger.services()).toContain(SERVICE);
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
    expect(await tier.jaeger.trace(kept[0]?.traceID ?? '')).toBeDefined();
  });
});
