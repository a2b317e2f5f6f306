/**
 * The demo's one program.
 *
 *   node --import @otelkit/node/register dist/main.js serve [--migrate]
 *   node dist/main.js migrate [--seed]
 *   node dist/main.js seed [--items N] [--orders N] [--days N]
 *
 * Configuration comes from the environment (see config.ts); invalid configuration exits with status 1.
 */
import { parseArgs } from 'node:util';
import { createLogger } from '@otelkit/node/logger';
import { ConfigError, type DemoConfig, loadConfig } from './config.js';
import { migrate } from './db/migrate.js';
import { createPool } from './db/pool.js';
import { DEFAULT_SEED, seed } from './db/seed.js';
import { serve } from './server.js';

const USAGE = `usage: main.js <command> [options]
  serve [--migrate]                       run the API (MIGRATE_ON_START=true also migrates first)
  migrate [--seed]                        apply pending migrations (and seed sample data)
  seed [--items N] [--orders N] [--days N] insert sample data (idempotent; defaults ${DEFAULT_SEED.items} items, ${DEFAULT_SEED.orders} orders over ${DEFAULT_SEED.days} days)`;

function fail(message: string, code: number): never {
  (code === 0 ? process.stdout : process.stderr).write(`${message}\n`);
  process.exit(code);
}

const count = (name: string, value: string | undefined, fallback: number) => {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) fail(`--${name} expects a non-negative integer, got ${JSON.stringify(value)}`, 2);
  return Number(value);
};

const [command, ...rest] = process.argv.slice(2);
let flags: Record<string, string | boolean | undefined> = {};
try {
  ({ values: flags } = parseArgs({
    args: rest,
    options: {
      migrate: { type: 'boolean' },
      seed: { type: 'boolean' },
      items: { type: 'string' },
      orders: { type: 'string' },
      days: { type: 'string' },
      help: { type: 'boolean' },
    },
    allowPositionals: false,
  }));
} catch (error) {
  fail(`error: ${(error as Error).message}\n\n${USAGE}`, 2);
}
if (command === '--help' || command === '-h') fail(USAGE, 0);
if (flags.help || command === undefined || !['serve', 'migrate', 'seed'].includes(command)) {
  fail(
    command === undefined || flags.help ? USAGE : `error: unknown command ${JSON.stringify(command)}\n${USAGE}`,
    flags.help ? 0 : 2,
  );
}

let config: DemoConfig;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) fail(error.message, 1);
  throw error;
}

const log = createLogger();

if (command === 'serve') {
  await serve(config, log, { migrate: flags.migrate === true || config.MIGRATE_ON_START }).catch((error: unknown) => {
    log.fatal({ err: error }, 'could not start');
    process.exitCode = 1;
    setImmediate(() => process.exit(1));
  });
} else {
  // maintenance commands: one connection, no statement timeout
  const pool = createPool(config, log, { statementTimeoutMs: 0, max: 1 });
  try {
    if (command === 'migrate') await migrate(pool, log);
    if (command === 'seed' || flags.seed) {
      await seed(
        pool,
        {
          items: count('items', flags.items as string | undefined, DEFAULT_SEED.items),
          orders: count('orders', flags.orders as string | undefined, DEFAULT_SEED.orders),
          days: Math.max(1, count('days', flags.days as string | undefined, DEFAULT_SEED.days)),
        },
        log,
      );
    }
  } catch (error) {
    log.fatal({ err: error }, `${command} failed`);
    process.exitCode = 1;
  } finally {
    await pool.end();
  }
}
