import type { MixinConfig } from '../config.js';
import type { DashboardKey } from '../dashboards/uids.js';
import { alertLinks } from './links.js';
import type { AlertingRule } from './types.js';

/** One alert of a service: the labels the route tree and the inhibition rely on, and the link annotations. */
export function serviceAlert(
  config: MixinConfig,
  spec: {
    alert: string;
    expr: string;
    for?: string;
    severity: 'critical' | 'warning';
    summary: string;
    description: string;
    dashboard: DashboardKey;
  },
): AlertingRule {
  return {
    alert: spec.alert,
    expr: spec.expr,
    ...(spec.for === undefined ? {} : { for: spec.for }),
    labels: { severity: spec.severity, service: config.service },
    annotations: {
      summary: spec.summary,
      description: spec.description,
      ...alertLinks(config, spec.alert, spec.dashboard),
    },
  };
}

/** `serviceAlert` for the alerts of one dashboard: a rules module's alerts all link the same dashboard. */
export const dashboardAlerts =
  (config: MixinConfig, dashboard: DashboardKey) =>
  (spec: Omit<Parameters<typeof serviceAlert>[1], 'dashboard'>): AlertingRule =>
    serviceAlert(config, { ...spec, dashboard });
