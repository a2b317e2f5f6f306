import { type AppProcess } from '@otelkit/testkit';
import { PostgresInstance, waitUntil } from '@otelkit/native-runtime';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countBackends, createDatabase, expectProblem, json, runCli, send, startDemo } from './helpers.js';

const RATE_LIMIT = 8;
const TIMEOUT_MS = 600;

let postgres: PostgresInstance;
let db: ReturnType<typeof createDatabase>;
let app: AppProcess;
let locker: pg.Client;

beforeAll(async () => {
  postgres = await PostgresInstance.create();
  db = createDatabase(postgres);
  const setup = runCli(['migrate', '--seed', '--items', '20', '--orders', '0'], { DATABASE_URL: db.url });
  expect(setup.status, setup.stderr).toBe(0);
  app = await startDemo(db.url, { RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT), REQUEST_TIMEOUT_MS: String(TIMEOUT_MS) });
  locker = new pg.Client({ connectionString: db.url });
  await locker.connect();
});
afterAll(async () => {
  await locker?.end();
  await app?.stop();
  db?.drop();
  await postgres?.destroy();
});

/** Holds a row lock on item `id` (another transaction) while `work` runs: writes to that row block. */
async function whileLocked<T>(id: number, work: () => Promise<T>, awaitCancel = true): Promise<T> {
  await locker.query('BEGIN');
  await locker.query('SELECT 1 FROM items WHERE id = $1 FOR UPDATE', [id]);
  try {
    return await work();
  } finally {
    // release only once no statement waits on the lock any more (cancelled by the statement timeout)
    if (awaitCancel)
      await waitUntil(async () => (await countBackends(locker, "wait_event_type = 'Lock'")) === 0, {
        what: 'blocked statements to be cancelled',
        timeoutMs: 5_000,
      });
    await locker.query('ROLLBACK');
  }
}

// Runs first: the rate limit below counts these requests too.
describe('request timeout (REQUEST_TIMEOUT_MS)', () => {
  it('answers 504 problem+json when a request takes too long, and does not apply it', async () => {
    const started = Date.now();
    await whileLocked(1, async () => {
      await expectProblem(await send(app, 'PATCH', '/items/1', { name: 'late' }), 504, 'timeout');
    });
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 2_000);
  });

  it('an order that times out is rolled back: no order, stock unchanged', async () => {
    await whileLocked(2, async () => {
      await expectProblem(await send(app, 'POST', '/orders', { lines: [{ item_id: 2, quantity: 1 }] }), 504, 'timeout');
    });
    // the late statement was cancelled (statement_timeout) or its transaction rolled back: nothing was written
    const { rows } = await locker.query(
      'SELECT (SELECT count(*)::int FROM orders) AS orders, stock, name FROM items WHERE id IN (1, 2) ORDER BY id',
    );
    expect(rows).toEqual([
      { orders: 0, stock: 1_000_000, name: expect.not.stringContaining('late') },
      { orders: 0, stock: 1_000_000, name: expect.any(String) },
    ]);
  });
});

describe('request timeout without a statement timeout (DB_STATEMENT_TIMEOUT_MS=0)', () => {
  it('answers 504 at REQUEST_TIMEOUT_MS, and the transaction still running then rolls back instead of committing', async () => {
    const slow = await startDemo(db.url, { REQUEST_TIMEOUT_MS: '300', DB_STATEMENT_TIMEOUT_MS: '0' });
    try {
      await whileLocked(
        3,
        async () => {
          const problem = await expectProblem(
            await fetch(slow.url('/orders'), {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ lines: [{ item_id: 3, quantity: 1 }] }),
            }),
            504,
            'timeout',
          );
          expect(problem.detail).toBe('the request did not complete within 300 ms');
        },
        false,
      );
      // the lock is gone: the order's statements complete, then its aborted signal rolls the transaction back
      await waitUntil(async () => (await countBackends(locker, "state <> 'idle'")) === 0, {
        what: 'the late order transaction to finish',
        timeoutMs: 5_000,
      });
      const { rows } = await locker.query(
        'SELECT (SELECT count(*)::int FROM orders) AS orders, stock FROM items WHERE id = 3',
      );
      expect(rows).toEqual([{ orders: 0, stock: 1_000_000 }]);
      expect(slow.logs.some((l) => l.msg === 'Request timed out')).toBe(true);
    } finally {
      await slow.stop();
    }
  });
});

describe('rate limiting (RATE_LIMIT_PER_MINUTE)', () => {
  it('answers 429 problem+json with Retry-After past the limit; health probes are exempt', async () => {
    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let i = 0; i < RATE_LIMIT + 2 && limited === undefined; i++) {
      const response = await fetch(app.url('/items?limit=1'));
      statuses.push(response.status);
      if (response.status === 429) limited = response;
      else await response.arrayBuffer();
    }
    if (limited === undefined) throw new Error(`never rate limited: ${statuses.join(',')}`);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    await expectProblem(limited, 429, 'rate-limited');
    // unknown routes are limited too (scanners), probes never are
    await expectProblem(await fetch(app.url('/nope')), 429, 'rate-limited');
    expect(await json(await fetch(app.url('/healthz')), 200)).toEqual({ status: 'ok' });
    await waitUntil(async () => (await fetch(app.url('/readyz'))).status === 200, { what: 'readyz', timeoutMs: 2_000 });
  });
});
