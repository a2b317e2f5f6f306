import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { STACK } from '@otelkit/stack-topology';
import { type AppProcess, startApp } from '@otelkit/testkit';
import { PostgresInstance } from '@otelkit/native-runtime';
import type pg from 'pg';
import { afterAll, beforeAll, expect } from 'vitest';
import { PROBLEM_MEDIA_TYPE } from '../src/http/openapi.js';
import { Problem, type ProblemSlug, problemTypeUri } from '../src/http/problems.js';

export const DEMO_DIR = fileURLToPath(new URL('..', import.meta.url));
/** The built program (integration tests run `npx tsc -b` first). */
export const DEMO_MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

export function assertBuilt(): void {
  if (!existsSync(DEMO_MAIN)) throw new Error('demo/dist/main.js is missing: run `npx tsc -b` first');
}

/** A database of its own on the test's cluster; `drop()` removes it (terminating leftover connections). */
export function createDatabase(pg: PostgresInstance, prefix = 'demo') {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  pg.psql(`CREATE DATABASE ${name}`);
  return {
    name,
    url: pg.url(name),
    drop: () => {
      if (pg.running) pg.psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/**
 * A PostgreSQL cluster of the test file's own with one migrated database holding `items` catalogue items, created
 * before the file's tests and removed after them (started again first when a test left it stopped). Read
 * `postgres` and `db` inside the tests, once `beforeAll` has run.
 */
export function useSeededPostgres(items = 20): {
  readonly postgres: PostgresInstance;
  readonly db: ReturnType<typeof createDatabase>;
} {
  let postgres: PostgresInstance | undefined;
  let db: ReturnType<typeof createDatabase> | undefined;
  beforeAll(async () => {
    postgres = await PostgresInstance.create();
    db = createDatabase(postgres);
    const setup = runCli(['migrate', '--seed', '--items', String(items), '--orders', '0'], { DATABASE_URL: db.url });
    expect(setup.status, setup.stderr).toBe(0);
  });
  afterAll(async () => {
    if (postgres !== undefined && !postgres.running) await postgres.start();
    db?.drop();
    await postgres?.destroy();
  });
  const created = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('useSeededPostgres: read postgres and db inside the tests');
    return value;
  };
  return {
    get postgres() {
      return created(postgres);
    },
    get db() {
      return created(db);
    },
  };
}

/** Environment for a demo process: quiet telemetry unless a test overrides it. */
export const baseEnv = (databaseUrl: string, env: Record<string, string> = {}): Record<string, string> => ({
  DATABASE_URL: databaseUrl,
  HOST: '127.0.0.1',
  OTEL_SERVICE_NAME: STACK.demo.service,
  OTEL_TRACES_EXPORTER: 'none',
  OTELKIT_REQUEST_LOG: 'false',
  ...env,
});

/** Runs a maintenance subcommand (migrate, seed) to completion, without telemetry, as the stack does. */
export function runCli(args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, [DEMO_MAIN, ...args], {
    cwd: DEMO_DIR,
    env: { PATH: process.env.PATH ?? '', OTEL_SDK_DISABLED: 'true', ...env },
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The same, asynchronously (to run several at once). */
export async function runCliAsync(args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [DEMO_MAIN, ...args], {
      cwd: DEMO_DIR,
      env: { PATH: process.env.PATH ?? '', OTEL_SDK_DISABLED: 'true', ...env },
    });
    return { status: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { status: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/**
 * `serve` under `node --import @otelkit/node/register`, resolved once it logged `listening` (it serves), or with
 * `readyLog: 'bound'` as soon as its port is bound (it may still be waiting for the database).
 */
export function startDemo(
  databaseUrl: string,
  env: Record<string, string> = {},
  args: string[] = [],
  readyLog = 'listening',
) {
  assertBuilt();
  return startApp({
    script: DEMO_MAIN,
    args: ['serve', ...args],
    cwd: DEMO_DIR,
    env: baseEnv(databaseUrl, env),
    readyLog,
  });
}

export const TRACE_ID = /^[0-9a-f]{32}$/;

/**
 * Asserts an RFC 7807 response: status, media type, every member, the problem type, and a trace id (null only
 * where the request is not traced). Returns the body.
 */
export async function expectProblem(
  response: Response,
  status: number,
  slug: ProblemSlug,
  options: { traced?: boolean } = {},
): Promise<Problem> {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  expect(response.headers.get('content-type')).toMatch(new RegExp(`^${PROBLEM_MEDIA_TYPE.replace('+', '\\+')}`));
  const body = Problem.strict().parse(JSON.parse(text));
  expect(body.type).toBe(problemTypeUri(slug));
  expect(body.status).toBe(status);
  expect(body.title.length).toBeGreaterThan(0);
  expect(body.detail.length).toBeGreaterThan(0);
  expect(body.instance).toBe(new URL(response.url).pathname);
  if (options.traced === false) expect(body.trace_id).toBeNull();
  else expect(body.trace_id).toMatch(TRACE_ID);
  // never a stack trace or an internal file path
  expect(text).not.toMatch(/\bat .+\(.*:\d+:\d+\)|node_modules|\/src\//);
  return body;
}

/** fetch with a JSON body. */
export const send = (
  app: AppProcess,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) =>
  fetch(app.url(path), {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });

export async function json<T = any>(response: Response, status: number): Promise<T> {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  return JSON.parse(text) as T;
}

/**
 * Backends of the client's database (other than its own) matching an SQL condition on pg_stat_activity. Clears the
 * statistics snapshot first: inside a transaction pg_stat_activity would otherwise keep showing its first reading.
 */
export async function countBackends(client: pg.Client, condition: string): Promise<number> {
  await client.query('SELECT pg_stat_clear_snapshot()');
  const { rows } = await client.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE datname = current_database() AND pid <> pg_backend_pid() AND (${condition})`,
  );
  return rows[0]?.n ?? 0;
}
