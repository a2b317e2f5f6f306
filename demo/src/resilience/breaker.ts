import { activeSpan } from '@otelkit/node/trace';
import { DEMO_NAMES } from '@otelkit/stack-topology';
import CircuitBreaker from 'opossum';
import { HttpProblem, isDatabaseUnavailable } from '../http/problems.js';
import type { Logger } from '../log.js';
import type { BreakerState, ResilienceMetrics } from './metrics.js';

export interface BreakerOptions {
  /** A call slower than this fails (and counts against the database). */
  timeoutMs: number;
  /** Share of failed calls (percent) in the window above which the breaker opens. */
  errorPercent: number;
  /** Calls the window must hold before the breaker may open (a burst, not one unlucky request). */
  minRequests: number;
  /** Length of the rolling window of calls (ms). */
  windowMs: number;
  /** How long the breaker stays open before a half-open probe (ms). */
  resetMs: number;
}

/** Work on the database: gets a signal aborted when its caller gave up (request timeout or breaker timeout). */
export type DatabaseWork<T> = (signal: AbortSignal) => Promise<T>;

type Fire = [work: DatabaseWork<unknown>, signal: AbortSignal, controller: AbortController];

/** True for the failures that say the database is unwell: unreachable, too slow, cancelled by a timeout. */
export function isDatabaseFailure(error: unknown): boolean {
  if (error instanceof HttpProblem) return error.slug === 'timeout' || error.slug === 'database-unavailable';
  const code = (error as { code?: unknown } | null)?.code;
  return code === '57014' || code === 'ETIMEDOUT' || isDatabaseUnavailable(error);
}

/**
 * The circuit breaker on the database path (opossum). Closed, it passes every call and counts failures and
 * timeouts in a rolling window; past `errorPercent` of at least `minRequests` calls it opens, and every call is
 * answered at once with a 503 problem (Retry-After: the seconds until the probe) instead of waiting on a failing
 * database; after `resetMs` one call goes through half-open as the probe: its success closes the breaker, its failure
 * opens it again. Client errors (404, 409, validation) are answers of a healthy database and never count.
 *
 * Each transition is a metric, one log line, and the transition to open an event on the span of the request whose
 * failure tripped it.
 */
export class DatabaseBreaker {
  private readonly breaker: CircuitBreaker<Fire, unknown>;
  private current: BreakerState = 'closed';
  private openedAt = 0;

  constructor(
    private readonly options: BreakerOptions,
    private readonly log: Logger,
    private readonly metrics: ResilienceMetrics,
  ) {
    this.breaker = new CircuitBreaker<Fire, unknown>((work, signal) => work(signal), {
      timeout: options.timeoutMs,
      errorThresholdPercentage: options.errorPercent,
      volumeThreshold: options.minRequests,
      rollingCountTimeout: options.windowMs,
      rollingCountBuckets: 10,
      resetTimeout: options.resetMs,
      // true: not a failure of the database (the call still rejects with it)
      errorFilter: (error: unknown) => !isDatabaseFailure(error),
    });
    // the breaker's timeout gives up on the call: abort its work, so a transaction does not commit behind a 503
    // (opossum passes the call's arguments after the latency; its typings omit them)
    (this.breaker as unknown as NodeJS.EventEmitter).on('timeout', (error: Error, _latency: number, args: Fire) =>
      args[2].abort(error),
    );
    this.breaker.on('open', () => this.transition('open'));
    this.breaker.on('halfOpen', () => this.transition('half_open'));
    this.breaker.on('close', () => this.transition('closed'));
  }

  get state(): BreakerState {
    return this.current;
  }

  /** Seconds until the next half-open probe (at least 1): the Retry-After of a rejected call. */
  retryAfterSeconds(): number {
    if (this.current !== 'open') return 1;
    return Math.max(1, Math.ceil((this.openedAt + this.options.resetMs - Date.now()) / 1000));
  }

  /**
   * Runs `work` through the breaker. Rejects at once with a 503 problem while the breaker is open, with a 503 problem
   * when the work outlives `timeoutMs` (its signal is then aborted), and with the work's own error otherwise.
   */
  async run<T>(work: DatabaseWork<T>, requestSignal: AbortSignal): Promise<T> {
    activeSpan()?.setAttribute(DEMO_NAMES.spans.breakerState, this.current);
    const controller = new AbortController();
    const signal = AbortSignal.any([requestSignal, controller.signal]);
    try {
      return (await this.breaker.fire(work as DatabaseWork<unknown>, signal, controller)) as T;
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      if (code === 'EOPENBREAKER') {
        this.metrics.rejectedRequest();
        const seconds = this.retryAfterSeconds();
        throw new HttpProblem(
          'database-unavailable',
          `the database is failing: its circuit breaker is open, retry in ${seconds} s`,
          { headers: { 'Retry-After': String(seconds) } },
        );
      }
      if (controller.signal.aborted && controller.signal.reason === error) {
        throw new HttpProblem(
          'database-unavailable',
          `the database did not answer within ${this.options.timeoutMs} ms`,
          { headers: { 'Retry-After': String(this.retryAfterSeconds()) } },
        );
      }
      throw error;
    }
  }

  /** Stops the breaker's timers (at shutdown). */
  shutdown(): void {
    this.breaker.shutdown();
  }

  private transition(to: BreakerState): void {
    const from = this.current;
    if (from === to) return;
    this.current = to;
    this.metrics.transition(to);
    const stats = this.breaker.stats;
    const fields = { breaker: { from, to, failures: stats.failures, timeouts: stats.timeouts, calls: stats.fires } };
    if (to === 'open') {
      this.openedAt = Date.now();
      // emitted synchronously while the failing call settles: the active span is that request's
      activeSpan()?.addEvent(DEMO_NAMES.spans.breakerOpened, {
        [DEMO_NAMES.spans.breakerFrom]: from,
        [DEMO_NAMES.spans.breakerFailures]: stats.failures,
        [DEMO_NAMES.spans.breakerCalls]: stats.fires,
      });
      this.log.warn(fields, `database circuit breaker opened: answering 503 at once for ${this.options.resetMs} ms`);
    } else if (to === 'half_open') {
      this.log.info(fields, 'database circuit breaker half-open: the next call probes the database');
    } else {
      this.log.info(fields, 'database circuit breaker closed: the database answers again');
    }
  }
}
