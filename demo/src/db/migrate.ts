import { createHash } from 'node:crypto';
import type { Logger } from '../log.js';
import type { Pool, PoolClient } from 'pg';
import { MIGRATIONS, type Migration } from './migrations.js';
import { checkout } from './pool.js';

/**
 * Key of the transaction-level advisory lock every migration transaction takes first: replicas that start at the
 * same time apply each migration once, one after the other (the lock is released at COMMIT/ROLLBACK).
 */
export const MIGRATION_LOCK_KEY = 7_271_001;

export const checksum = (sql: string) => createHash('sha256').update(sql).digest('hex');

export interface MigrationResult {
  applied: string[];
  skipped: string[];
}

/**
 * Applies the pending migrations, each in its own transaction guarded by `pg_advisory_xact_lock` and recorded in
 * `schema_migrations`. Idempotent and safe to run concurrently. A recorded migration whose SQL changed is an error.
 */
export async function migrate(
  pool: Pool,
  log?: Logger,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<MigrationResult> {
  const result: MigrationResult = { applied: [], skipped: [] };
  const { client, release } = await checkout(pool);
  try {
    for (const migration of migrations) {
      const applied = await inTransaction(client, () => applyOne(client, migration));
      (applied ? result.applied : result.skipped).push(migration.id);
      if (applied) log?.info({ migration: migration.id }, 'migration applied');
    }
  } finally {
    release();
  }
  log?.info({ applied: result.applied.length, up_to_date: result.skipped.length }, 'migrations done');
  return result;
}

async function applyOne(client: PoolClient, migration: Migration): Promise<boolean> {
  await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
  await client.query(`
    CREATE TABLE IF NOT EXISTS schema_migrations (
      id         text PRIMARY KEY,
      checksum   text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
  const sum = checksum(migration.sql);
  const { rows } = await client.query<{ checksum: string }>('SELECT checksum FROM schema_migrations WHERE id = $1', [
    migration.id,
  ]);
  const recorded = rows[0];
  if (recorded !== undefined) {
    if (recorded.checksum !== sum) {
      throw new Error(`migration ${migration.id} was changed after it was applied: add a new migration instead`);
    }
    return false;
  }
  await client.query(migration.sql);
  await client.query('INSERT INTO schema_migrations (id, checksum) VALUES ($1, $2)', [migration.id, sum]);
  return true;
}

async function inTransaction<T>(client: PoolClient, work: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const value = await work();
    await client.query('COMMIT');
    return value;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
