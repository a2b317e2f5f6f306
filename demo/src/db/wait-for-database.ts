import type pg from 'pg';
import { isDatabaseUnavailable } from '../http/problems.js';
import type { Logger } from '../log.js';

export interface RetryPolicy {
  /** Upper bound of the first delay (ms); each attempt doubles it. */
  initialMs: number;
  /** Cap of the delay (ms). */
  maxMs: number;
}

/**
 * The delay before retry number `attempt` (0 for the first retry): "full jitter" (a uniform draw below the capped
 * exponential bound), so replicas started together do not retry in step.
 */
export function retryDelayMs(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const bound = Math.min(policy.maxMs, policy.initialMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * bound);
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });

/**
 * Waits until the database answers `SELECT 1`, retrying with capped, jittered delays for as long as it is
 * unreachable (no crash loop while Postgres comes up after the service). Errors that waiting cannot fix (wrong
 * password, unknown database) reject at once. Resolves with the number of attempts; rejects with `signal.reason`
 * when aborted (a shutdown signal meanwhile).
 */
export async function waitForDatabase(
  pool: pg.Pool,
  log: Logger,
  policy: RetryPolicy,
  signal: AbortSignal,
): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    signal.throwIfAborted();
    try {
      await pool.query('SELECT 1');
      if (attempt > 0) log.info({ attempts: attempt + 1 }, 'database reachable');
      return attempt + 1;
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      const delay = retryDelayMs(attempt, policy);
      const e = error as { message?: string; code?: string };
      log.warn(
        { attempt: attempt + 1, retry_in_ms: delay, err: { message: e.message, code: e.code } },
        'database not reachable yet: retrying',
      );
      await sleep(delay, signal);
    }
  }
}
