import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { defaultConfig, type MixinConfig, validateConfig } from './config.js';
import { k6LoadTest } from './dashboards/k6-load-test.js';
import { kubernetesWorkload } from './dashboards/kubernetes-workload.js';
import { nodejsRuntime } from './dashboards/nodejs-runtime.js';
import { otelCollector } from './dashboards/otel-collector.js';
import { postgresql } from './dashboards/postgresql.js';
import { serviceOverview } from './dashboards/service-overview.js';
import { DASHBOARD_KEYS, type DashboardKey } from './dashboards/uids.js';
import { buildDashboard, type DashboardSpec } from './grafana.js';
import { breakerRules } from './rules/breaker.js';
import { collectorRules } from './rules/collector.js';
import { kubernetesRules } from './rules/kubernetes.js';
import { nodejsRules } from './rules/nodejs.js';
import { postgresRules } from './rules/postgres.js';
import { sloRules } from './rules/slo.js';
import { targetRules } from './rules/targets.js';
import { isAlert, type RuleGroup } from './rules/types.js';

/** What one config generates: Grafana dashboards, alerting rules and the recording rules they read. */
export interface Mixin {
  config: MixinConfig;
  dashboards: Record<DashboardKey, Dashboard>;
  recordingRules: RuleGroup[];
  alertRules: RuleGroup[];
}

const DASHBOARDS: Record<DashboardKey, (config: MixinConfig) => DashboardSpec> = {
  'service-overview': serviceOverview,
  'nodejs-runtime': nodejsRuntime,
  postgresql,
  'kubernetes-workload': kubernetesWorkload,
  'otel-collector': otelCollector,
  'k6-load-test': k6LoadTest,
};

/** Dashboards and rules of a config: `buildAll(withOverrides({ service: 'checkout', ... }))`. */
export function buildAll(config: MixinConfig = defaultConfig): Mixin {
  validateConfig(config);
  const dashboards = Object.fromEntries(
    DASHBOARD_KEYS.map((key) => [key, buildDashboard(DASHBOARDS[key](config), config.datasources.prometheus)]),
  ) as Record<DashboardKey, Dashboard>;
  const groups = [
    sloRules(config),
    targetRules(config),
    postgresRules(config),
    collectorRules(config),
    nodejsRules(config),
    kubernetesRules(config),
    breakerRules(config),
  ];
  const split = (keep: (alert: boolean) => boolean, suffix: string) =>
    groups
      .map((group) => ({
        ...group,
        name: `${group.name}${suffix}`,
        rules: group.rules.filter((r) => keep(isAlert(r))),
      }))
      .filter((group) => group.rules.length > 0);
  return {
    config,
    dashboards,
    recordingRules: split((alert) => !alert, '.recording'),
    alertRules: split((alert) => alert, '.alerts'),
  };
}
