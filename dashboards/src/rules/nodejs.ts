import { METRICS } from '@otelkit/node/names';
import type { MixinConfig } from '../config.js';
import { PROMETHEUS_LABELS } from '../exporter-metrics.js';
import { eq, maxBy, sel } from '../promql.js';
import { serviceAlert } from './alert.js';
import type { RuleGroup } from './types.js';

const { job, instance } = PROMETHEUS_LABELS;

/** The Node.js runtime of the service: an event loop that lags delays every request of the process. */
export function nodejsRules(config: MixinConfig): RuleGroup {
  const limit = config.thresholds.eventLoopLagSeconds;
  return {
    name: `${config.service}-nodejs`,
    rules: [
      serviceAlert(config, {
        alert: 'NodejsEventLoopLagHigh',
        expr: `${maxBy([job, instance], sel(METRICS.eventLoopLagP99, eq(job, config.jobs.service)))} > ${limit}`,
        for: '10m',
        severity: 'warning',
        summary: `The event loop of ${config.service} lags`,
        description: `The p99 event-loop delay of {{ $labels.instance }} is {{ $value | humanizeDuration }} (alert above ${limit} s): every request on this process waits that long before it runs.`,
        dashboard: 'nodejs-runtime',
      }),
    ],
  };
}
