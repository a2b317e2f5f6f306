import { describe, expect, it } from 'vitest';
import { ConciseDiagLogger } from '../../src/lifecycle/concise-diag-logger.js';

describe('ConciseDiagLogger', () => {
  it('logs a serialised exception as its message, and a repeat once per interval with the count', () => {
    const lines: string[] = [];
    let now = 0;
    const logger = new ConciseDiagLogger(
      (l) => lines.push(l),
      60_000,
      () => now,
    );
    const failure = JSON.stringify({ stack: 'Error: x\n at a\n at b', message: '14 UNAVAILABLE: port 4317' });
    logger.error(failure);
    now = 1_000;
    logger.error(failure.replace('4317', '4318'));
    logger.error(failure);
    now = 61_000;
    logger.error(failure);
    logger.warn('other');
    expect(lines).toEqual([
      'otelkit/otel error: 14 UNAVAILABLE: port 4317',
      'otelkit/otel error: 14 UNAVAILABLE: port 4317 (2 more since the last report)',
      'otelkit/otel warn: other',
    ]);
  });

  it('does not limit debug output', () => {
    const lines: string[] = [];
    const logger = new ConciseDiagLogger((l) => lines.push(l));
    logger.debug('a', { n: 1 });
    logger.debug('a', { n: 1 });
    expect(lines).toEqual(['otelkit/otel debug: a {"n":1}', 'otelkit/otel debug: a {"n":1}']);
  });
});
