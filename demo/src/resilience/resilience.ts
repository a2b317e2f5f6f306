import type { DemoConfig } from '../config.js';
import type { Logger } from '../log.js';
import { DatabaseBreaker } from './breaker.js';
import { DegradedCache } from './degraded-cache.js';
import { createResilienceMetrics } from './metrics.js';

/**
 * The breaker, the degraded-read cache and their metrics (served on otelkit's /metrics when it runs), configured
 * from the environment.
 */
export async function createResilience(config: DemoConfig, log: Logger) {
  const metrics = await createResilienceMetrics();
  const breaker = new DatabaseBreaker(
    {
      timeoutMs: config.DB_BREAKER_TIMEOUT_MS,
      errorPercent: config.DB_BREAKER_ERROR_PERCENT,
      minRequests: config.DB_BREAKER_MIN_REQUESTS,
      windowMs: config.DB_BREAKER_WINDOW_MS,
      resetMs: config.DB_BREAKER_RESET_MS,
    },
    log,
    metrics,
  );
  return { metrics, breaker, degradedCache: new DegradedCache(config.DEGRADED_CACHE_TTL_MS) };
}
