// Fault 11: Postgres slow. Latency is injected on the demo's database connection (the testkit's latency proxy) under
// load: the demo's circuit breaker opens, answers at once while open, and closes once the latency is gone.
import { Agent } from 'node:http';
import { DEMO_NAMES } from '@otelkit/stack-topology';
import { labelOf, sumOf } from '@otelkit/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type Call,
  callLoop,
  FaultStack,
  faultRate,
  k6Figures,
  loadAverages,
  MetricSampler,
  ProblemContract,
  recordFigures,
  sleep,
  toSeconds,
  WriteProbe,
} from '../src/index.js';

const WARM_UP_MS = 15_000;
const SLOW_MS = 20_000;
const AFTER_MS = 20_000;
/** Added to every chunk in each direction: a round trip of 3 s, past the breaker's 2 s timeout (the default). */
const LATENCY_MS = 1_500;
const RATE = faultRate();

const M = DEMO_NAMES.metrics;
const ok = (c: Call) => c.status >= 200 && c.status < 300;
const rejectedByBreaker = (c: Call) => c.status === 503 && c.body.includes('circuit breaker is open');
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
};

let faults: FaultStack;
let contract: ProblemContract;
beforeAll(async () => {
  faults = await FaultStack.start({}, { latencyProxy: true });
  contract = await ProblemContract.fetch(faults.demoUrl);
});
afterAll(async () => faults?.stop());

it('Postgres slow: the breaker opens, rejects in milliseconds, loses no acknowledged write, closes after recovery', async () => {
  const started = Date.now();
  const loadBefore = loadAverages();
  const pid = faults.demo.pid;
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  const inState = (wanted: string) => (body: string) =>
    sumOf(body, M.breakerState, (line) => labelOf(line, DEMO_NAMES.labels.state) === wanted);
  const state = (wanted: string) => new MetricSampler(faults.demoMetricsUrl, inState(wanted), 250).start();
  const open = state('open');
  const closed = state('closed');
  const probe = new WriteProbe(faults.demoUrl, { concurrency: 4, agent, pauseMs: 25 }).start();
  // a reader of single items (no degraded answer): what the breaker answers, and how fast
  const reads = callLoop(faults.demoUrl, (n) => `/items/${(n % 200) + 1}`, { agent, pauseMs: 20, timeoutMs: 10_000 });
  const load = faults.steadyLoad({
    rate: RATE,
    durationMs: WARM_UP_MS + SLOW_MS + AFTER_MS,
    testId: 'fault-postgres-slow',
  });
  await sleep(WARM_UP_MS);
  const slowAt = Date.now();
  faults.proxy.setLatency(LATENCY_MS);
  await sleep(SLOW_MS);
  faults.proxy.setLatency(0);
  const fastAt = Date.now();
  const k6 = k6Figures(await load);
  const writes = await probe.stop();
  await reads.stop();
  const openSamples = await open.stop();
  const closedSamples = await closed.stop();
  agent.destroy();

  const calls = [...writes, ...reads.calls];
  const failed = calls.filter((c) => !ok(c));
  const wrong = failed.filter((c) => c.status !== 503 || contract.violations(c, { retryAfter: true }).length > 0);
  const rejected = calls.filter(rejectedByBreaker);
  const rejectedMs = rejected.map((c) => c.doneAt - c.sentAt);
  const openedAt = openSamples.find((s) => s.at >= slowAt && s.value === 1)?.at ?? Number.NaN;
  const closedAt = closedSamples.find((s) => s.at >= fastAt && s.value === 1)?.at ?? Number.NaN;
  const readsOkAfter = reads.calls.find((c) => c.sentAt >= fastAt && ok(c))?.doneAt ?? Number.NaN;
  const metrics = await (await fetch(faults.demoMetricsUrl)).text();
  const transitions = (to: string) =>
    sumOf(metrics, M.breakerTransitions, (line) => labelOf(line, DEMO_NAMES.labels.state) === to);
  const degraded = sumOf(metrics, M.degradedResponses);

  // every acknowledged write is in the database
  const { items: itemsInDb, orders: ordersInDb } = faults.acknowledgedInDatabase(probe);

  recordFigures('postgres-slow', {
    order: 11,
    title: 'Postgres slow under load',
    fault: `After ${WARM_UP_MS / 1000} s of load (k6 at ${RATE} req/s, 4 writing clients, 1 reading client), ${LATENCY_MS} ms is added to every packet in each direction of the demo's database connections (a latency proxy) for ${SLOW_MS / 1000} s, then removed; the demo's breaker runs with its defaults (2 s timeout, 50% of at least 10 calls in 5 s, 5 s open).`,
    requests: k6.requests + calls.length,
    errors: wrong.length,
    recoverySeconds: toSeconds(closedAt - fastAt),
    details: {
      'breaker opened after the latency began (s)': toSeconds(openedAt - slowAt),
      'breaker closed after the latency ended (s)': toSeconds(closedAt - fastAt),
      'transitions: open / half_open / closed': `${transitions('open')} / ${transitions('half_open')} / ${transitions('closed')}`,
      'test clients: calls / 2xx / 503 problem+json with Retry-After / anything else': `${calls.length} / ${calls.length - failed.length} / ${failed.length - wrong.length} / ${wrong.length}`,
      'rejected by the open breaker: calls / p50 ms / p95 ms / max ms': `${rejected.length} / ${percentile(rejectedMs, 50)} / ${percentile(rejectedMs, 95)} / ${Math.max(...rejectedMs)}`,
      'k6 requests / answered outside the expected statuses / p95 ms': `${k6.requests} / ${k6.failed} / ${k6.p95Ms}`,
      'list pages served degraded (X-Degraded: cache)': degraded,
      'acknowledged item writes / found in the database': `${probe.itemIds.length} / ${itemsInDb}`,
      'acknowledged orders / found in the database': `${probe.orderIds.length} / ${ordersInDb}`,
      'load averages before / after (1 / 5 / 15 min)': `${loadBefore} | ${loadAverages()}`,
    },
    durationSeconds: toSeconds(Date.now() - started),
  });

  expect(wrong.map((c) => `${c.method} ${c.path}: ${c.status} ${c.error ?? c.body.slice(0, 200)}`)).toEqual([]);
  expect(Number.isFinite(openedAt)).toBe(true); // the breaker opened...
  expect(rejected.length).toBeGreaterThan(0);
  expect(percentile(rejectedMs, 95)).toBeLessThan(100); // ...and answered at once while open
  expect(Number.isFinite(closedAt)).toBe(true); // it closed once Postgres was fast again
  expect(Number.isFinite(readsOkAfter)).toBe(true);
  expect(degraded).toBeGreaterThan(0);
  expect(faults.demo.running && faults.demo.pid === pid).toBe(true);
  expect(probe.itemIds.length).toBeGreaterThan(0);
  expect(itemsInDb).toBe(probe.itemIds.length);
  expect(ordersInDb).toBe(probe.orderIds.length);
});
