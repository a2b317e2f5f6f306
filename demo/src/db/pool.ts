import { STACK } from '@otelkit/stack-topology';
import pg from 'pg';
import type { Logger } from '../log.js';
import type { DemoConfig } from '../config.js';

export interface PoolOptions {
  /** Server-side cap per statement (ms); 0 for none (migrations, seeding). */
  statementTimeoutMs: number;
  max?: number;
}

/**
 * The connection pool. Connecting times out (DB_CONNECT_TIMEOUT_MS) instead of queueing forever; errors of idle
 * clients (the server restarted or went away) are logged and the client is dropped, so the pool reconnects by
 * itself once the database is back: no restart needed.
 */
export function createPool(config: DemoConfig, log: Logger, options: PoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: config.DATABASE_URL,
    max: options.max ?? config.DB_POOL_MAX,
    connectionTimeoutMillis: config.DB_CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: 30_000,
    application_name: STACK.demo.service,
    ...(options.statementTimeoutMs > 0 ? { statement_timeout: options.statementTimeoutMs } : {}),
    // a transaction left open by a bug must not hold locks forever
    idle_in_transaction_session_timeout: 60_000,
  });
  pool.on('error', (error) => {
    log.warn(
      { err: { message: error.message, code: (error as { code?: string }).code } },
      'idle database client failed',
    );
  });
  return pool;
}

/** A client checked out of the pool, and how to give it back (`broken`: destroy it instead). */
export interface CheckedOut {
  client: pg.PoolClient;
  release: (broken?: boolean) => void;
}

/**
 * Checks a client out of the pool, guarded. The pool listens for errors of idle clients only: when the connection of
 * a checked-out client dies between two statements (the server restarted, an administrator terminated it), pg emits
 * 'error' on the client itself, which crashes the process if nobody listens. Here the error is noted, the client's
 * next query fails (it is no longer queryable: a 503), and release() destroys it instead of pooling it again.
 */
export async function checkout(pool: pg.Pool): Promise<CheckedOut> {
  const client = await pool.connect();
  let failed = false;
  const onError = () => {
    failed = true;
  };
  client.on('error', onError);
  return {
    client,
    release: (broken = false) => {
      client.off('error', onError);
      client.release(broken || failed);
    },
  };
}

/** Runs `work` in a transaction on one client; rolls back on error, or when `signal` aborted before COMMIT. */
export async function withTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  const { client, release } = await checkout(pool);
  let broken = false;
  try {
    await client.query('BEGIN');
    const value = await work(client);
    // The request timed out while we worked: its caller got a 504, so do not commit behind its back.
    signal?.throwIfAborted();
    await client.query('COMMIT');
    return value;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {
      broken = true;
    });
    throw error;
  } finally {
    release(broken);
  }
}
