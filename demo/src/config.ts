import { STACK } from '@otelkit/stack-topology';
import { z } from 'zod';

/** Raised when the environment is invalid; the message names every offending variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const int = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^-?\d+$/, { error: 'expected an integer' })
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

const bool = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'expected true or false' }))
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const MAX_MS = 24 * 3600 * 1000;

/** Every environment variable the demo reads, with its default. README.md lists the same table. */
const ENV = z.object({
  DATABASE_URL: z
    .string({ error: 'required: a PostgreSQL connection URL, e.g. postgres://user@127.0.0.1:5432/db' })
    .trim()
    .min(1, { error: 'required: a PostgreSQL connection URL, e.g. postgres://user@127.0.0.1:5432/db' })
    .refine((v) => URL.canParse(v) && /^postgres(ql)?:$/.test(new URL(v).protocol), {
      error: 'expected a postgres:// or postgresql:// URL',
    }),
  HOST: z.string().trim().min(1).default('0.0.0.0'),
  PORT: int(0, 65_535).default(STACK.demo.port),
  REQUEST_TIMEOUT_MS: int(1, MAX_MS).default(5_000),
  BODY_LIMIT: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^\d+(b|kb|mb)?$/, { error: 'expected a size such as 100kb, 1mb or 2048 (bytes)' })
    .default('100kb'),
  RATE_LIMIT_PER_MINUTE: int(0, 100_000_000).default(60_000),
  TRUST_PROXY: z
    .string()
    .trim()
    .regex(/^(true|false|\d+)$/i, { error: 'expected true, false or a number of proxy hops' })
    .transform((v) => (/^\d+$/.test(v) ? Number(v) : v.toLowerCase() === 'true'))
    .default(false),
  DB_POOL_MAX: int(1, 1_000).default(10),
  DB_CONNECT_TIMEOUT_MS: int(1, MAX_MS).default(2_000),
  DB_STATEMENT_TIMEOUT_MS: int(0, MAX_MS).optional(),
  READY_TIMEOUT_MS: int(1, MAX_MS).default(1_000),
  SHUTDOWN_TIMEOUT_MS: int(1, MAX_MS).default(15_000),
  RETRY_AFTER_SECONDS: int(1, 3_600).default(5),
  DB_BREAKER_TIMEOUT_MS: int(1, MAX_MS).default(2_000),
  DB_BREAKER_ERROR_PERCENT: int(1, 100).default(50),
  DB_BREAKER_MIN_REQUESTS: int(1, 1_000_000).default(10),
  DB_BREAKER_WINDOW_MS: int(100, MAX_MS).default(5_000),
  DB_BREAKER_RESET_MS: int(1, MAX_MS).default(5_000),
  DEGRADED_CACHE_TTL_MS: int(0, MAX_MS).default(30_000),
  STARTUP_RETRY_INITIAL_MS: int(1, MAX_MS).default(200),
  STARTUP_RETRY_MAX_MS: int(1, MAX_MS).default(5_000),
  MIGRATE_ON_START: bool.default(false),
});

export type DemoConfig = Omit<z.output<typeof ENV>, 'DB_STATEMENT_TIMEOUT_MS'> & {
  /**
   * Server-side cap on each SQL statement (0 disables it). Defaults to 90 % of REQUEST_TIMEOUT_MS: a statement
   * blocked past the request's deadline is cancelled first, so a request answered 504 is not applied later.
   */
  DB_STATEMENT_TIMEOUT_MS: number;
};

export const CONFIG_VARIABLES: readonly string[] = Object.keys(ENV.shape);

/**
 * Reads and validates the demo's configuration from the environment. Throws one ConfigError naming every invalid
 * variable, its value (except DATABASE_URL, which may hold a password) and what is expected.
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): DemoConfig {
  const input: Record<string, string> = {};
  for (const name of CONFIG_VARIABLES) {
    const value = env[name];
    // An empty variable counts as unset (a common result of `VAR=` in compose files and shells).
    if (value !== undefined && value.trim() !== '') input[name] = value;
  }
  const parsed = ENV.safeParse(input);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? '?');
      const shown = name === 'DATABASE_URL' || input[name] === undefined ? '' : `=${JSON.stringify(input[name])}`;
      return `  - ${name}${shown}: ${issue.message}`;
    });
    throw new ConfigError(`otelkit-demo: invalid configuration:\n${lines.join('\n')}`);
  }
  const { DB_STATEMENT_TIMEOUT_MS, ...rest } = parsed.data;
  return {
    ...rest,
    DB_STATEMENT_TIMEOUT_MS: DB_STATEMENT_TIMEOUT_MS ?? Math.max(1, Math.floor(rest.REQUEST_TIMEOUT_MS * 0.9)),
  };
}
