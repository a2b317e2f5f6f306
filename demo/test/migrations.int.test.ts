import { createLogger } from '@otelkit/node/logger';
import { PostgresInstance, waitUntil } from '@otelkit/native-runtime';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATION_LOCK_KEY, migrate } from '../src/db/migrate.js';
import { MIGRATIONS } from '../src/db/migrations.js';
import { countBackends, createDatabase, json, runCli, runCliAsync, startDemo } from './helpers.js';

let postgres: PostgresInstance;
const databases: Array<ReturnType<typeof createDatabase>> = [];
const fresh = () => {
  const db = createDatabase(postgres);
  databases.push(db);
  return db;
};

beforeAll(async () => {
  postgres = await PostgresInstance.create();
});
afterAll(async () => {
  for (const db of databases) db.drop();
  await postgres?.destroy();
});

const recorded = (url: string) =>
  postgres
    .psql('SELECT id FROM schema_migrations ORDER BY id', new URL(url).pathname.slice(1))
    .trim()
    .split('\n')
    .filter(Boolean);
const tables = (url: string) =>
  postgres
    .psql("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1", new URL(url).pathname.slice(1))
    .trim()
    .split('\n');
const ALL = MIGRATIONS.map((m) => m.id);
const logLines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('migrate', () => {
  it('applies every migration once; a second run changes nothing', () => {
    const db = fresh();
    const first = runCli(['migrate'], { DATABASE_URL: db.url });
    expect(first.status, first.stderr).toBe(0);
    expect(
      logLines(first.stdout)
        .filter((l) => l.msg === 'migration applied')
        .map((l) => l.migration),
    ).toEqual(ALL);
    expect(recorded(db.url)).toEqual(ALL);
    expect(tables(db.url)).toEqual(['items', 'order_lines', 'orders', 'schema_migrations']);

    const second = runCli(['migrate'], { DATABASE_URL: db.url });
    expect(second.status, second.stderr).toBe(0);
    expect(logLines(second.stdout).filter((l) => l.msg === 'migration applied')).toEqual([]);
    expect(logLines(second.stdout).find((l) => l.msg === 'migrations done')).toMatchObject({
      applied: 0,
      up_to_date: ALL.length,
    });
    expect(recorded(db.url)).toEqual(ALL);
  });

  it('is safe when several processes migrate the same database at once', async () => {
    const db = fresh();
    // hold the migration lock so that the three processes queue on it and then contend at the same moment
    const holder = new pg.Client({ connectionString: db.url });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      const runs = Promise.all([1, 2, 3].map(() => runCliAsync(['migrate'], { DATABASE_URL: db.url })));
      await waitUntil(async () => (await countBackends(holder, "wait_event = 'advisory'")) === 3, {
        what: 'three migrate processes waiting on the lock',
      });
      await holder.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
      const results = await runs;
      expect(results.map((r) => r.status)).toEqual([0, 0, 0]);
      // each migration was applied by exactly one of them
      const applied = results.flatMap((r) =>
        logLines(r.stdout)
          .filter((l) => l.msg === 'migration applied')
          .map((l) => l.migration),
      );
      expect(applied.sort()).toEqual(ALL);
      expect(recorded(db.url)).toEqual(ALL);
    } finally {
      await holder.end();
    }
  });

  it('in process: concurrent calls apply each migration once, and an edited migration is refused', async () => {
    const db = fresh();
    const log = createLogger({ level: 'silent' });
    const pools = [1, 2].map(() => new pg.Pool({ connectionString: db.url, max: 1 }));
    try {
      const results = await Promise.all(pools.map((p) => migrate(p, log)));
      expect(results.flatMap((r) => r.applied).sort()).toEqual(ALL);
      expect(results.map((r) => r.applied.length + r.skipped.length)).toEqual([ALL.length, ALL.length]);

      const edited = MIGRATIONS.map((m, i) => (i === 0 ? { ...m, sql: `${m.sql} -- edited` } : m));
      await expect(migrate(pools[0] as pg.Pool, log, edited)).rejects.toThrow(
        /0001_items was changed after it was applied/,
      );
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });

  it('a failing migration rolls back entirely and is not recorded', async () => {
    const db = fresh();
    const pool = new pg.Pool({ connectionString: db.url, max: 1 });
    try {
      const broken = [...MIGRATIONS, { id: '9999_broken', sql: 'CREATE TABLE half (id int); SELECT 1/0;' }];
      await expect(migrate(pool, undefined, broken)).rejects.toThrow(/division by zero/);
      expect(recorded(db.url)).toEqual(ALL);
      expect(tables(db.url)).not.toContain('half');
    } finally {
      await pool.end();
    }
  });
});

describe('seed', () => {
  it('creates the sample data the load tests use, idempotently', () => {
    const db = fresh();
    const env = { DATABASE_URL: db.url };
    expect(runCli(['migrate', '--seed', '--items', '250', '--orders', '300'], env).status).toBe(0);
    const counts = () =>
      postgres
        .psql(
          'SELECT (SELECT count(*) FROM items), (SELECT min(id) FROM items), (SELECT max(id) FROM items), (SELECT count(*) FROM orders), (SELECT count(*) FROM orders WHERE total_cents > 0), (SELECT count(*) FROM order_lines)',
          db.name,
        )
        .trim()
        .split('|')
        .map(Number);
    const [items, minId, maxId, orders, paid, lines] = counts();
    // k6 addresses items 1..200 and reprices by `SKU-<digit>` prefixes
    expect([items, minId, maxId, orders, paid]).toEqual([250, 1, 250, 300, 300]);
    expect(lines).toBeGreaterThanOrEqual(300);
    const startingWith1 = Array.from({ length: 250 }, (_, i) => String(i + 1)).filter((n) => n.startsWith('1'));
    expect(postgres.psql("SELECT count(*) FROM items WHERE sku LIKE 'SKU-1%'", db.name).trim()).toBe(
      String(startingWith1.length),
    );

    const again = runCli(['seed', '--items', '250', '--orders', '300'], env);
    expect(again.status, again.stderr).toBe(0);
    expect(counts()).toEqual([items, minId, maxId, orders, paid, lines]);
  });
});

describe('serve --migrate / MIGRATE_ON_START', () => {
  it('two replicas starting at once on an empty database both migrate safely and serve', async () => {
    const db = fresh();
    const apps = await Promise.all([
      startDemo(db.url, {}, ['--migrate']),
      startDemo(db.url, { MIGRATE_ON_START: 'true' }),
    ]);
    try {
      for (const app of apps) {
        expect(await json(await fetch(app.url('/readyz')), 200)).toMatchObject({ status: 'ready' });
        expect(await json(await fetch(app.url('/items')), 200)).toMatchObject({ items: [], total: 0 });
      }
      expect(recorded(db.url)).toEqual(ALL);
    } finally {
      await Promise.all(apps.map((a) => a.stop()));
    }
  });
});

describe('configuration and command line', () => {
  const serve = (env: Record<string, string>) => runCli(['serve'], env);

  it('refuses to start without DATABASE_URL, naming the variable', () => {
    const result = serve({});
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/invalid configuration:\n\s+- DATABASE_URL: required/);
    expect(result.stderr).not.toMatch(/\bat .+:\d+:\d+/); // a message, not a stack trace
  });

  it('lists every invalid variable at once, without echoing the database URL', () => {
    const result = serve({
      DATABASE_URL: 'mysql://root:secret@db/x',
      PORT: 'eighty',
      RATE_LIMIT_PER_MINUTE: '-1',
      MIGRATE_ON_START: 'maybe',
    });
    expect(result.status).toBe(1);
    for (const name of ['DATABASE_URL', 'PORT', 'RATE_LIMIT_PER_MINUTE', 'MIGRATE_ON_START']) {
      expect(result.stderr).toContain(`- ${name}`);
    }
    expect(result.stderr).not.toContain('secret');
  });

  it('prints the usage for an unknown command', () => {
    const result = runCli(['frobnicate'], { DATABASE_URL: 'postgres://x@127.0.0.1/x' });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/usage: main\.js <command>/);
  });
});
