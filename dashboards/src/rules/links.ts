import type { MixinConfig } from '../config.js';
import { type DashboardKey, dashboardUid } from '../dashboards/uids.js';

/** The runbook of an alert: `<runbookBaseUrl>/<alert>.md` (docs/runbooks/<alert>.md in this repository). */
export const runbookUrl = (config: MixinConfig, alert: string): string => `${config.runbookBaseUrl}/${alert}.md`;

/** An absolute link to a dashboard of this config, from the configured Grafana base URL. */
export const dashboardUrl = (config: MixinConfig, key: DashboardKey): string =>
  `${config.grafana.url}/d/${dashboardUid(config, key)}`;

/** The link annotations every alert carries: its runbook and the dashboard to start from. */
export const alertLinks = (
  config: MixinConfig,
  alert: string,
  dashboard: DashboardKey,
): { runbook_url: string; dashboard: string } => ({
  runbook_url: runbookUrl(config, alert),
  dashboard: dashboardUrl(config, dashboard),
});
