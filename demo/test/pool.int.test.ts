import { createLogger } from '@otelkit/node/logger';
import { PostgresInstance } from '@otelkit/native-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createPool, withTransaction } from '../src/db/pool.js';
import { isDatabaseUnavailable } from '../src/http/problems.js';

let postgres: PostgresInstance;
beforeAll(async () => {
  postgres = await PostgresInstance.create();
});
afterAll(async () => postgres?.destroy());

describe('withTransaction when the server goes away mid-transaction', () => {
  // Found by the fault suite (faults/test/postgres-restart.fault.test.ts): a checked-out client whose connection
  // was terminated between two statements emitted an unhandled 'error' event and crashed the demo.
  it('fails the transaction with a "database unavailable" error instead of crashing, and the pool recovers', async () => {
    const config = loadConfig({ DATABASE_URL: postgres.url() });
    const pool = createPool(config, createLogger({ level: 'silent' }), { statementTimeoutMs: 0 });
    try {
      const failure = await withTransaction(pool, async (client) => {
        await client.query('SELECT 1');
        // no statement is running: the server's FATAL reaches the idle, checked-out client
        await postgres.stop();
        await new Promise((r) => setTimeout(r, 300));
        return client.query('SELECT 2');
      }).catch((error: unknown) => error);
      expect(isDatabaseUnavailable(failure), String(failure)).toBe(true);

      await postgres.start();
      const { rows } = await pool.query<{ ok: number }>('SELECT 1 AS ok');
      expect(rows).toEqual([{ ok: 1 }]);
    } finally {
      await pool.end();
    }
  });
});
