import { STACK } from '@otelkit/stack-topology';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, ConfigError, loadConfig } from '../src/config.js';

const URL_ = 'postgres://demo@127.0.0.1:5432/demo';

function problemsOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies the defaults; the port is the stack port', () => {
    expect(loadConfig({ DATABASE_URL: URL_ })).toEqual({
      DATABASE_URL: URL_,
      HOST: '0.0.0.0',
      PORT: STACK.demo.port,
      REQUEST_TIMEOUT_MS: 5_000,
      BODY_LIMIT: '100kb',
      RATE_LIMIT_PER_MINUTE: 60_000,
      TRUST_PROXY: false,
      DB_POOL_MAX: 10,
      DB_CONNECT_TIMEOUT_MS: 2_000,
      DB_STATEMENT_TIMEOUT_MS: 4_500,
      READY_TIMEOUT_MS: 1_000,
      SHUTDOWN_TIMEOUT_MS: 15_000,
      RETRY_AFTER_SECONDS: 5,
      DB_BREAKER_TIMEOUT_MS: 2_000,
      DB_BREAKER_ERROR_PERCENT: 50,
      DB_BREAKER_MIN_REQUESTS: 10,
      DB_BREAKER_WINDOW_MS: 5_000,
      DB_BREAKER_RESET_MS: 5_000,
      DEGRADED_CACHE_TTL_MS: 30_000,
      STARTUP_RETRY_INITIAL_MS: 200,
      STARTUP_RETRY_MAX_MS: 5_000,
      MIGRATE_ON_START: false,
    });
  });

  it('reads every variable', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgresql://u:p@db:6543/x?sslmode=disable',
      HOST: '127.0.0.1',
      PORT: '0',
      REQUEST_TIMEOUT_MS: '250',
      BODY_LIMIT: '2MB',
      RATE_LIMIT_PER_MINUTE: '0',
      TRUST_PROXY: '2',
      DB_POOL_MAX: '3',
      DB_CONNECT_TIMEOUT_MS: '100',
      DB_STATEMENT_TIMEOUT_MS: '0',
      READY_TIMEOUT_MS: '50',
      SHUTDOWN_TIMEOUT_MS: '1000',
      RETRY_AFTER_SECONDS: '9',
      MIGRATE_ON_START: 'TRUE',
    });
    expect(config).toMatchObject({
      HOST: '127.0.0.1',
      PORT: 0,
      REQUEST_TIMEOUT_MS: 250,
      BODY_LIMIT: '2mb',
      RATE_LIMIT_PER_MINUTE: 0,
      TRUST_PROXY: 2,
      DB_POOL_MAX: 3,
      DB_CONNECT_TIMEOUT_MS: 100,
      DB_STATEMENT_TIMEOUT_MS: 0,
      READY_TIMEOUT_MS: 50,
      SHUTDOWN_TIMEOUT_MS: 1_000,
      RETRY_AFTER_SECONDS: 9,
      MIGRATE_ON_START: true,
    });
    expect(loadConfig({ DATABASE_URL: URL_, TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(true);
    expect(loadConfig({ DATABASE_URL: URL_, MIGRATE_ON_START: '0' }).MIGRATE_ON_START).toBe(false);
  });

  it('derives the statement timeout from the request timeout unless set', () => {
    expect(loadConfig({ DATABASE_URL: URL_, REQUEST_TIMEOUT_MS: '1000' }).DB_STATEMENT_TIMEOUT_MS).toBe(900);
    expect(
      loadConfig({ DATABASE_URL: URL_, REQUEST_TIMEOUT_MS: '1000', DB_STATEMENT_TIMEOUT_MS: '300' })
        .DB_STATEMENT_TIMEOUT_MS,
    ).toBe(300);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: URL_, PORT: '', HOST: '  ' }).PORT).toBe(STACK.demo.port);
    expect(problemsOf({ DATABASE_URL: '' })).toMatch(/- DATABASE_URL: required/);
  });

  it('names every invalid variable, its value and what is expected, in one message', () => {
    const message = problemsOf({
      DATABASE_URL: 'http://example.com/db',
      PORT: '70000',
      REQUEST_TIMEOUT_MS: '1.5',
      BODY_LIMIT: 'lots',
      TRUST_PROXY: 'maybe',
      MIGRATE_ON_START: 'perhaps',
    });
    expect(message.split('\n')[0]).toBe('otelkit-demo: invalid configuration:');
    expect(message).toContain('- DATABASE_URL: expected a postgres:// or postgresql:// URL');
    expect(message).toMatch(/- PORT="70000": .*65535/);
    expect(message).toContain('- REQUEST_TIMEOUT_MS="1.5": expected an integer');
    expect(message).toContain('- BODY_LIMIT="lots": expected a size');
    expect(message).toContain('- TRUST_PROXY="maybe": expected true, false or a number of proxy hops');
    expect(message).toContain('- MIGRATE_ON_START="perhaps": expected true or false');
  });

  it('never echoes DATABASE_URL (it may hold a password)', () => {
    expect(problemsOf({ DATABASE_URL: 'mysql://root:hunter2@db/x' })).not.toContain('hunter2');
  });

  it('documents every variable in the README', async () => {
    const { readFile } = await import('node:fs/promises');
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    for (const name of CONFIG_VARIABLES) expect(readme, name).toContain(`\`${name}\``);
  });
});
