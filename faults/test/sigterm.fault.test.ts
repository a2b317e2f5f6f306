// Fault 4: SIGTERM to the demo under load: in-flight requests complete, new connections are refused cleanly, and
// the spans of the last requests reach Jaeger (flushed before the process exits).
import { STACK } from '@otelkit/stack-topology';
import { waitUntil } from '@otelkit/native-runtime';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Call, call, FaultStack, recordFigures, sleep, toSeconds, WriteProbe } from '../src/index.js';

const WARM_UP_MS = 8_000;
/** Rows the in-flight requests update; the test holds their locks so the requests stay in flight. */
const LOCKED_ITEMS = [3, 4, 5];
const CONCURRENCY = 4;
/** Around the listening socket's close: requests sent then may meet TCP's reset of the accept queue. */
const CLOSE_WINDOW_MS = 250;

let faults: FaultStack;
let locker: pg.Client;
beforeAll(async () => {
  faults = await FaultStack.start({ SHUTDOWN_TIMEOUT_MS: '30000' });
  locker = new pg.Client({ connectionString: faults.stack.databaseUrl });
  await locker.connect();
});
afterAll(async () => {
  await locker?.end().catch(() => undefined);
  await faults?.stop();
});

const waitingOnLocks = () =>
  Number(
    faults.sql(
      `SELECT count(*) FROM pg_stat_activity WHERE datname = '${STACK.postgres.database}' AND wait_event_type = 'Lock'`,
    )[0],
  );

it('SIGTERM under load: in-flight requests complete, new connections are refused, the last spans are in Jaeger', async () => {
  const started = Date.now();
  // every probe request opens its own connection: after the SIGTERM each is either served or refused
  const probe = new WriteProbe(faults.demoUrl, { concurrency: CONCURRENCY, agent: false }).start();
  await sleep(WARM_UP_MS);

  await locker.query('BEGIN');
  await locker.query(`SELECT 1 FROM items WHERE id IN (${LOCKED_ITEMS.join(',')}) FOR UPDATE`);
  const inFlight = LOCKED_ITEMS.map((id) =>
    call(faults.demoUrl, 'PATCH', `/items/${id}`, { body: { stock: 77 }, agent: false }),
  );
  await waitUntil(() => waitingOnLocks() === LOCKED_ITEMS.length, { what: 'the in-flight requests to wait on locks' });

  const sigtermAt = Date.now();
  faults.demo.signal('SIGTERM');
  await waitUntil(() => faults.demo.output.includes('shutting down'), {
    what: 'the demo to start draining',
    intervalMs: 10,
  });
  const drainingAt = Date.now();
  // The log line comes just before the listener closes: a connection that races the close is reset by TCP (the
  // same reset at the close the load probe accepts below); once closed, a new connection is refused.
  let refused = await call(faults.demoUrl, 'GET', '/healthz', { agent: false });
  for (let retry = 0; retry < 5 && refused.error === 'ECONNRESET'; retry++) {
    await sleep(50);
    refused = await call(faults.demoUrl, 'GET', '/healthz', { agent: false });
  }
  await sleep(1_000);
  const stillUp = faults.demo.running; // draining: waits for the in-flight requests
  await locker.query('COMMIT');
  const answered = await Promise.all(inFlight);
  const exitCode = await faults.demo.exited;
  const exitedAt = Date.now();
  const calls = await probe.stop();

  const before = calls.filter((c) => c.doneAt < sigtermAt);
  const after = calls.filter((c) => c.doneAt >= sigtermAt);
  // A connection still in the kernel's accept queue when the listening socket closes is reset by TCP itself: at most
  // one per client, only for requests sent around the moment of the close (what a load balancer's endpoint removal
  // before SIGTERM prevents in Kubernetes). Any other reset, or any reset later, is a failure.
  const atClose = (c: Call) =>
    c.error === 'ECONNRESET' && c.sentAt >= sigtermAt - 100 && c.sentAt <= drainingAt + CLOSE_WINDOW_MS;
  const resetAtClose = calls.filter(atClose);
  const unclean = (c: Call) => c.status === 0 && c.error !== 'ECONNREFUSED' && !atClose(c);
  const notOk = (c: Call) => c.status !== 0 && (c.status < 200 || c.status >= 300);
  const bad = calls.filter((c) => unclean(c) || notOk(c));
  // the spans of the last requests: the in-flight ones and the last probe writes served before the SIGTERM
  const lastServed = before.filter((c) => c.status === 201).slice(-5);
  const expectedTraces = [...answered, ...lastServed].map((c) => c.traceId);
  const missing = new Set(expectedTraces);
  await waitUntil(
    async () => {
      for (const id of missing) if ((await faults.jaeger.trace(id)) !== undefined) missing.delete(id);
      return missing.size === 0;
    },
    { what: 'the traces of the last requests in Jaeger', timeoutMs: 30_000, intervalMs: 1_000 },
  ).catch(() => undefined);

  recordFigures('sigterm', {
    order: 4,
    title: 'SIGTERM under load',
    fault: `SIGTERM to the demo while 4 clients write (a new connection per request) and ${LOCKED_ITEMS.length} requests are held in flight by row locks.`,
    requests: calls.length + answered.length + 1,
    errors: bad.length + answered.filter((c) => c.status !== 200).length,
    details: {
      'client calls before the SIGTERM / after it': `${before.length} / ${after.length}`,
      'after the SIGTERM: served / refused (ECONNREFUSED) / reset by TCP at the close / failed otherwise': `${after.filter((c) => c.status !== 0).length} / ${after.filter((c) => c.error === 'ECONNREFUSED').length} / ${resetAtClose.length} / ${bad.length}`,
      'in-flight requests completed with 200': `${answered.filter((c) => c.status === 200).length} of ${answered.length}`,
      'SIGTERM to exit (s), including the held requests': toSeconds(exitedAt - sigtermAt),
      'exit code': String(exitCode),
      'traces of the last requests found in Jaeger': `${expectedTraces.length - missing.size} of ${expectedTraces.length}`,
    },
    durationSeconds: toSeconds(Date.now() - started),
  });

  expect(refused.error).toBe('ECONNREFUSED');
  expect(stillUp).toBe(true);
  expect(answered.map((c) => c.status)).toEqual(LOCKED_ITEMS.map(() => 200));
  expect(answered.map((c) => (JSON.parse(c.body) as { stock: number }).stock)).toEqual(LOCKED_ITEMS.map(() => 77));
  expect(exitCode).toBe(0);
  expect(before.length).toBeGreaterThan(0);
  expect(resetAtClose.length).toBeLessThanOrEqual(CONCURRENCY);
  expect(bad.map((c) => `${c.method} ${c.path}: ${c.status} ${c.error ?? c.body.slice(0, 200)}`)).toEqual([]);
  expect([...missing]).toEqual([]);
});
