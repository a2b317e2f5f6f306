import { DEMO_NAMES } from '@otelkit/stack-topology';
import { waitUntil } from '@otelkit/native-runtime';
import { type AppProcess, LatencyProxy, labelOf, OtlpGrpcReceiver, scrapeText, sumOf } from '@otelkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, json, startDemo, useSeededPostgres } from './helpers.js';

/**
 * The database circuit breaker against the real PostgreSQL, made slow by a latency proxy on the demo's connection:
 * it opens on a burst of timeouts, answers at once with 503 problem+json (Retry-After, trace id) while open, serves
 * the catalogue list degraded from its cache, and closes through a half-open probe once the database answers again.
 * Then start-up: the demo started before PostgreSQL waits for it, live but not ready, and serves once it is up.
 */
const M = DEMO_NAMES.metrics;
const BREAKER_TIMEOUT_MS = 300;
const RESET_MS = 1_500;

const seeded = useSeededPostgres();

/** The URL of `url`'s database through another port on 127.0.0.1. */
const viaPort = (url: string, port: number) => {
  const u = new URL(url);
  u.port = String(port);
  return u.toString();
};

/** The sum of the demo's series of `name` whose labels have the given values. */
const metric = async (app: AppProcess, name: string, labels: Record<string, string> = {}) =>
  sumOf(await scrapeText(app.metricsUrl()), name, (line) =>
    Object.entries(labels).every(([label, value]) => labelOf(line, label) === value),
  );

const logsWith = (app: AppProcess, msg: RegExp) => app.logs.filter((l) => typeof l.msg === 'string' && msg.test(l.msg));

describe('database circuit breaker', () => {
  let proxy: LatencyProxy;
  let receiver: OtlpGrpcReceiver;
  let app: AppProcess;
  beforeAll(async () => {
    proxy = await LatencyProxy.start({ upstreamPort: seeded.postgres.port });
    receiver = await new OtlpGrpcReceiver().start();
    app = await startDemo(viaPort(seeded.db.url, proxy.port), {
      DB_BREAKER_TIMEOUT_MS: String(BREAKER_TIMEOUT_MS),
      DB_BREAKER_MIN_REQUESTS: '5',
      DB_BREAKER_RESET_MS: String(RESET_MS),
      DB_CONNECT_TIMEOUT_MS: '1000',
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_BSP_SCHEDULE_DELAY: '100',
    });
  });
  afterAll(async () => {
    await app?.stop();
    await receiver?.stop();
    await proxy?.stop();
  });

  it('opens on a burst of slow calls, rejects at once, serves the list degraded, closes after a probe', async () => {
    // healthy: closed, and the list page is remembered
    const fresh = await json(await fetch(app.url('/items?limit=5')), 200);
    expect(await metric(app, M.breakerState, { [DEMO_NAMES.labels.state]: 'closed' })).toBe(1);
    expect(await metric(app, M.breakerRejected)).toBe(0);

    // slow: every call outlives the breaker's timeout
    proxy.setLatency(BREAKER_TIMEOUT_MS * 2);
    const slow = await Promise.all(Array.from({ length: 8 }, (_, i) => fetch(app.url(`/items/${(i % 20) + 1}`))));
    for (const response of slow) await expectProblem(response, 503, 'database-unavailable');
    expect(await metric(app, M.breakerState, { state: 'open' })).toBe(1);

    // open: answered at once, without touching the database
    const startedAt = performance.now();
    const rejected = await fetch(app.url('/items/1'));
    const rejectedMs = performance.now() - startedAt;
    const retryAfter = Number(rejected.headers.get('retry-after'));
    const problem = await expectProblem(rejected, 503, 'database-unavailable'); // with the request's trace id
    expect(problem.detail).toMatch(/circuit breaker is open/);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(Math.ceil(RESET_MS / 1000));
    expect(rejectedMs).toBeLessThan(BREAKER_TIMEOUT_MS);
    expect(await metric(app, M.breakerRejected)).toBeGreaterThanOrEqual(1);

    // the list page is served degraded from the cache, and says so
    const degraded = await fetch(app.url('/items?limit=5'));
    expect(degraded.headers.get(DEMO_NAMES.degradedHeader)).toBe('cache');
    expect(Number(degraded.headers.get('age'))).toBeGreaterThanOrEqual(0);
    expect(await json(degraded, 200)).toEqual(fresh);
    expect(await metric(app, M.degradedResponses, { [DEMO_NAMES.labels.route]: '/items' })).toBe(1);
    // a page never served before has nothing to fall back on
    await expectProblem(await fetch(app.url('/items?limit=6')), 503, 'database-unavailable');

    // the request that tripped the breaker carries the event; the degraded one its attributes
    const spans = await receiver.waitFor(
      (all) =>
        all.some((s) => s.events.includes(DEMO_NAMES.spans.breakerOpened)) &&
        all.some((s) => s.attributes[DEMO_NAMES.spans.degraded] === 'cache'),
    );
    const tripping = spans.filter((s) => s.events.includes(DEMO_NAMES.spans.breakerOpened));
    expect(tripping).toHaveLength(1);
    expect(tripping[0]?.name).toBe('GET /items/:id');
    expect(tripping[0]?.attributes[DEMO_NAMES.spans.breakerState]).toBe('closed');
    expect(spans.some((s) => s.attributes[DEMO_NAMES.spans.breakerState] === 'open')).toBe(true);

    // recovery: once the database answers, the half-open probe closes the breaker
    proxy.setLatency(0);
    await waitUntil(async () => (await fetch(app.url('/items/1'))).status === 200, {
      what: 'the breaker to close',
      timeoutMs: RESET_MS * 4,
      intervalMs: 200,
    });
    const after = await fetch(app.url('/items?limit=5'));
    expect(after.headers.get(DEMO_NAMES.degradedHeader)).toBeNull();
    await json(after, 200);
    expect(await metric(app, M.breakerState, { state: 'closed' })).toBe(1);
    expect(await metric(app, M.breakerTransitions, { state: 'open' })).toBe(1);
    expect(await metric(app, M.breakerTransitions, { state: 'half_open' })).toBe(1);
    expect(await metric(app, M.breakerTransitions, { state: 'closed' })).toBe(1);

    // one log line per transition, each carrying its states
    await app.waitForLog((l) => l.msg === 'database circuit breaker closed: the database answers again');
    const transitions = logsWith(app, /^database circuit breaker /);
    expect(transitions.map((l) => (l.breaker as { to: string }).to)).toEqual(['open', 'half_open', 'closed']);
    expect(transitions[0]?.trace_id).toBe(tripping[0]?.traceId);
  });

  it('counts client errors (404) as answers of a healthy database', async () => {
    for (let i = 0; i < 12; i++) await expectProblem(await fetch(app.url('/items/999999')), 404, 'not-found');
    expect(await metric(app, M.breakerState, { state: 'closed' })).toBe(1);
  });
});

describe('start-up before the database', () => {
  let app: AppProcess;
  afterAll(async () => app?.stop());

  it('is live but not ready while PostgreSQL is down, retries with capped delays, and serves once it is up', async () => {
    await seeded.postgres.stop();
    app = await startDemo(
      seeded.db.url,
      { STARTUP_RETRY_INITIAL_MS: '100', STARTUP_RETRY_MAX_MS: '400', RETRY_AFTER_SECONDS: '3' },
      [],
      'bound',
    );
    const pid = app.child.pid;
    expect(await json(await fetch(app.url('/healthz')), 200)).toEqual({ status: 'ok' });
    const notReady = await fetch(app.url('/readyz'));
    expect(notReady.headers.get('retry-after')).toBe('3');
    await expectProblem(notReady, 503, 'database-unavailable', { traced: false });
    await expectProblem(await fetch(app.url('/items/1')), 503, 'database-unavailable');

    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const retries = logsWith(app, /^database not reachable yet/);
    expect(retries.length).toBeGreaterThanOrEqual(4);
    const delays = retries.map((l) => l.retry_in_ms as number);
    expect(Math.max(...delays)).toBeLessThanOrEqual(400);
    expect(new Set(delays).size).toBeGreaterThan(1); // jittered
    expect(app.child.exitCode).toBeNull();

    await seeded.postgres.start();
    await app.waitForLog((l) => l.msg === 'listening', 15_000);
    expect(await json(await fetch(app.url('/readyz')), 200)).toEqual({ status: 'ready', database: 'ok' });
    expect(await json(await fetch(app.url('/items/1')), 200)).toMatchObject({ id: 1 });
    expect(app.child.pid).toBe(pid);
  });

  it('exits 1 at once on an error waiting cannot fix (an unknown database)', async () => {
    const other = await startDemo(`${seeded.db.url.replace(/\/[^/]*$/, '/no_such_database')}`, {}, [], 'bound').catch(
      (error: Error) => error,
    );
    if (other instanceof Error) {
      expect(other.message).toMatch(/exited early \(1\)/);
      return;
    }
    expect((await other.exited).code).toBe(1);
    expect(other.logs.some((l) => l.msg === 'could not start')).toBe(true);
  });
});
