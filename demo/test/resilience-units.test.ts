import { describe, expect, it } from 'vitest';
import { retryDelayMs } from '../src/db/wait-for-database.js';
import { HttpProblem } from '../src/http/problems.js';
import { isDatabaseFailure } from '../src/resilience/breaker.js';
import { DegradedCache } from '../src/resilience/degraded-cache.js';

describe('retryDelayMs (start-up retries)', () => {
  const policy = { initialMs: 100, maxMs: 1_000 };

  it('draws below a bound that doubles each attempt', () => {
    expect([0, 1, 2, 3].map((attempt) => retryDelayMs(attempt, policy, () => 0.999))).toEqual([99, 199, 399, 799]);
  });

  it('never exceeds the cap, however many attempts', () => {
    for (const attempt of [4, 10, 50, 1_000]) expect(retryDelayMs(attempt, policy, () => 0.999)).toBe(999);
  });

  it('is jittered over the whole range (full jitter)', () => {
    expect(retryDelayMs(5, policy, () => 0)).toBe(0);
    expect(retryDelayMs(5, policy, () => 0.5)).toBe(500);
  });
});

describe('DegradedCache', () => {
  it('recalls a value with its age within the TTL, and forgets it after', () => {
    const cache = new DegradedCache(1_000);
    cache.remember('a', { page: 1 }, 10_000);
    expect(cache.recall('a', 10_400)).toEqual({ value: { page: 1 }, ageMs: 400 });
    expect(cache.recall('a', 11_001)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('keeps at most maxEntries keys, evicting the least recently stored', () => {
    const cache = new DegradedCache(60_000, 2);
    cache.remember('a', 1, 0);
    cache.remember('b', 2, 0);
    cache.remember('a', 3, 1); // refreshed: now the newest
    cache.remember('c', 4, 2);
    expect(cache.recall('b', 3)).toBeUndefined();
    expect(cache.recall('a', 3)?.value).toBe(3);
    expect(cache.recall('c', 3)?.value).toBe(4);
  });

  it('stores nothing with a TTL of 0', () => {
    const cache = new DegradedCache(0);
    cache.remember('a', 1);
    expect(cache.recall('a')).toBeUndefined();
  });
});

describe('isDatabaseFailure (what counts against the breaker)', () => {
  it('counts an unreachable database, timeouts and cancelled statements', () => {
    expect(isDatabaseFailure(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isDatabaseFailure(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isDatabaseFailure(Object.assign(new Error('Timed out after 2000ms'), { code: 'ETIMEDOUT' }))).toBe(true);
    expect(isDatabaseFailure(Object.assign(new Error('canceling statement'), { code: '57014' }))).toBe(true);
    expect(isDatabaseFailure(new HttpProblem('timeout', 'the request did not complete'))).toBe(true);
  });

  it('does not count answers of a healthy database or client errors', () => {
    expect(isDatabaseFailure(new HttpProblem('not-found', 'item 9 does not exist'))).toBe(false);
    expect(isDatabaseFailure(new HttpProblem('insufficient-stock', 'no'))).toBe(false);
    expect(isDatabaseFailure(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false);
    expect(isDatabaseFailure(new Error('a bug'))).toBe(false);
  });
});
