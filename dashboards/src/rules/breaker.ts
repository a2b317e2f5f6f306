import { DEMO_NAMES } from '@otelkit/stack-topology';
import type { MixinConfig } from '../config.js';
import { PROMETHEUS_LABELS } from '../exporter-metrics.js';
import { eq, maxBy, sel } from '../promql.js';
import { dashboardAlerts } from './alert.js';
import type { RuleGroup } from './types.js';

const { job, instance } = PROMETHEUS_LABELS;

/** How long the breaker must stay away from closed before it alerts. */
export const BREAKER_OPEN_WINDOW = '5m';

/**
 * The expression of the breaker alert without its comparison: per instance, 1 when the breaker was closed at some
 * scrape of the window, 0 when it never was (open, or open and half-open probes that failed).
 */
export const breakerClosedInWindow = (config: MixinConfig): string =>
  maxBy(
    [job, instance],
    `max_over_time(${sel(DEMO_NAMES.metrics.breakerState, eq(job, config.jobs.service), eq(DEMO_NAMES.labels.state, 'closed'))}[${BREAKER_OPEN_WINDOW}])`,
  );

/** The database circuit breaker stuck open: every database call of the instance answered 503 for the window. */
export function breakerRules(config: MixinConfig): RuleGroup {
  const alert = dashboardAlerts(config, 'service-overview');
  return {
    name: `${config.service}-database-breaker`,
    rules: [
      alert({
        alert: 'ServiceDatabaseBreakerOpen',
        expr: `${breakerClosedInWindow(config)} == 0`,
        severity: 'critical',
        summary: `The database circuit breaker of ${config.service} stays open`,
        description: `The database circuit breaker of {{ $labels.instance }} has not been closed for ${BREAKER_OPEN_WINDOW}: its half-open probes keep failing, and every request that needs the database is answered 503 at once (reads with a recent cached answer are served degraded).`,
      }),
    ],
  };
}
