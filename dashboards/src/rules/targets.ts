import type { MixinConfig } from '../config.js';
import type { DashboardKey } from '../dashboards/uids.js';
import { PROMETHEUS_LABELS } from '../exporter-metrics.js';
import { eq, sel } from '../promql.js';
import { serviceAlert } from './alert.js';
import type { RuleGroup } from './types.js';

const { job } = PROMETHEUS_LABELS;

/** The scrape targets whose metrics the other alerts read, and what their loss means. */
const TARGETS: ReadonlyArray<{
  alert: string;
  job: (config: MixinConfig) => string;
  severity: 'critical' | 'warning';
  what: string;
  dashboard: DashboardKey;
}> = [
  {
    alert: 'ServiceTargetDown',
    job: (c) => c.jobs.service,
    severity: 'critical',
    what: 'the service itself: it is down, or its metrics port is unreachable, and the SLO alerts cannot see it',
    dashboard: 'service-overview',
  },
  {
    alert: 'OtelCollectorTargetDown',
    job: (c) => c.jobs.collector,
    severity: 'critical',
    what: 'the OpenTelemetry collector: spans sent to it are lost, and its own alerts cannot see it',
    dashboard: 'otel-collector',
  },
  {
    alert: 'PostgresExporterTargetDown',
    job: (c) => c.jobs.postgresExporter,
    severity: 'warning',
    what: 'postgres-exporter: the Postgres alerts cannot see the database',
    dashboard: 'postgresql',
  },
];

/**
 * A scrape target that is down (`up == 0`) or gone from service discovery (`absent(up)`): without these, the alerts
 * over a target's metrics go silent exactly when it disappears.
 */
export function targetRules(config: MixinConfig): RuleGroup {
  return {
    name: `${config.service}-targets`,
    rules: TARGETS.map((target) => {
      const up = sel('up', eq(job, target.job(config)));
      return serviceAlert(config, {
        alert: target.alert,
        expr: `${up} == 0 or absent(${up})`,
        for: '2m',
        severity: target.severity,
        summary: `Prometheus cannot scrape ${target.job(config)}`,
        description: `Job {{ $labels.job }} (instance {{ $labels.instance }}) has been down or missing from service discovery for 2 minutes. It is ${target.what}.`,
        dashboard: target.dashboard,
      });
    }),
  };
}
