// Fault 3: Postgres is stopped (fast shutdown) under load and started again 10 s later.
import { Agent } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type Call,
  callLoop,
  FaultStack,
  faultRate,
  k6Figures,
  ProblemContract,
  recordFigures,
  sleep,
  toSeconds,
  WriteProbe,
} from '../src/index.js';

const WARM_UP_MS = 10_000;
const OUTAGE_MS = 10_000;
const AFTER_MS = 15_000;
const RATE = faultRate(); // fault-rate.ts: 100 req/s, or half the measured ceiling

const ok = (c: Call) => c.status >= 200 && c.status < 300;

let faults: FaultStack;
let contract: ProblemContract;
beforeAll(async () => {
  faults = await FaultStack.start();
  contract = await ProblemContract.fetch(faults.demoUrl);
});
afterAll(async () => faults?.stop());

it('Postgres restarted: only 503 problem+json with Retry-After meanwhile, no crash, recovery, no lost write', async () => {
  const started = Date.now();
  const pid = faults.demo.pid;
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  const probe = new WriteProbe(faults.demoUrl, { concurrency: 4, agent, pauseMs: 25 }).start();
  const readinessAgent = new Agent({ keepAlive: true });
  const readiness = callLoop(faults.demoUrl, () => '/readyz', { agent: readinessAgent, pauseMs: 250 });
  const load = faults.steadyLoad({
    rate: RATE,
    durationMs: WARM_UP_MS + OUTAGE_MS + AFTER_MS,
    testId: 'fault-postgres-restart',
  });
  await sleep(WARM_UP_MS);
  const postgres = faults.stack.postgres;
  if (postgres === undefined) throw new Error('no postgres');
  const downAt = Date.now();
  await postgres.stop();
  await sleep(OUTAGE_MS);
  await postgres.start();
  const upAt = Date.now();
  const k6 = k6Figures(await load);
  const calls = await probe.stop();
  await readiness.stop();
  readinessAgent.destroy();
  agent.destroy();

  // recovery: the first moment after Postgres is back when /readyz says ready and a write was acknowledged
  const firstReady = readiness.calls.find((c) => c.sentAt >= upAt && c.status === 200)?.doneAt ?? Number.NaN;
  const firstWrite =
    calls.find((c) => c.sentAt >= upAt && c.method === 'POST' && c.status === 201)?.doneAt ?? Number.NaN;
  const recoveryMs = Math.max(firstReady, firstWrite) - upAt;

  const failed = calls.filter((c) => !ok(c));
  const unavailable = failed.filter((c) => c.status === 503);
  const wrong = failed.filter((c) => c.status !== 503 || contract.violations(c, { retryAfter: true }).length > 0);
  const notReady = readiness.calls.filter((c) => c.status !== 200);
  const wrongReadiness = notReady.filter(
    (c) => c.status !== 503 || contract.violations(c, { retryAfter: true }).length > 0,
  );

  // every acknowledged write is in the database
  const { items: itemsInDb, orders: ordersInDb } = faults.acknowledgedInDatabase(probe);

  recordFigures('postgres-restart', {
    order: 3,
    title: 'Postgres restarted under load',
    fault: `Postgres is stopped (fast shutdown, connections terminated) after ${WARM_UP_MS / 1000} s of load (k6 at ${RATE} req/s and 4 writing clients) and started ${OUTAGE_MS / 1000} s later.`,
    requests: k6.requests + calls.length + readiness.calls.length,
    errors: wrong.length + wrongReadiness.length,
    recoverySeconds: toSeconds(recoveryMs),
    details: {
      'writing clients: calls / 2xx / 503 problem+json with Retry-After / anything else': `${calls.length} / ${calls.length - failed.length} / ${unavailable.length} / ${wrong.length}`,
      '/readyz polls: total / 503 during the outage / anything else': `${readiness.calls.length} / ${notReady.length} / ${wrongReadiness.length}`,
      'k6 requests / answered outside the expected statuses (the 503s of the outage)': `${k6.requests} / ${k6.failed}`,
      'acknowledged item writes / found in the database': `${probe.itemIds.length} / ${itemsInDb}`,
      'acknowledged orders / found in the database': `${probe.orderIds.length} / ${ordersInDb}`,
      'readiness 200 again after (s)': toSeconds(firstReady - upAt),
      'first acknowledged write after (s)': toSeconds(firstWrite - upAt),
      'outage (s)': toSeconds(upAt - downAt),
    },
    durationSeconds: toSeconds(Date.now() - started),
  });

  expect(wrong.map((c) => `${c.method} ${c.path}: ${c.status} ${c.error ?? c.body.slice(0, 200)}`)).toEqual([]);
  expect(wrongReadiness.map((c) => `${c.status} ${c.error ?? c.body.slice(0, 200)}`)).toEqual([]);
  expect(unavailable.length).toBeGreaterThan(0); // the outage was seen...
  expect(notReady.some((c) => c.sentAt > downAt && c.sentAt < upAt)).toBe(true); // ...and readiness said so
  expect(faults.demo.running && faults.demo.pid === pid).toBe(true); // no crash, no restart
  expect(Number.isFinite(recoveryMs)).toBe(true);
  expect(probe.itemIds.length).toBeGreaterThan(0);
  expect(itemsInDb).toBe(probe.itemIds.length);
  expect(ordersInDb).toBe(probe.orderIds.length);
});
