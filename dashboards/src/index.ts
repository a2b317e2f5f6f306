export { buildAll, type Mixin } from './build.js';
export { type ConfigOverrides, defaultConfig, type MixinConfig, validateConfig, withOverrides } from './config.js';
export { DASHBOARD_KEYS, type DashboardKey, dashboardUid } from './dashboards/uids.js';
export {
  COLLECTOR,
  exporterLabels,
  exporterMetrics,
  K6,
  KUBERNETES,
  type MetricSource,
  POSTGRES_EXPORTER,
  PROMETHEUS_LABELS,
} from './exporter-metrics.js';
export { ALL_VALUE, type DashboardSpec, type PanelSpec, type Query, type RowSpec } from './grafana.js';
export { knownLabels, knownMetrics } from './known-names.js';
export { dashboardConfigMap, GRAFANA_DASHBOARDS_PATH, prometheusRule, renderFiles } from './outputs.js';
export { parsePromql, type QueryNames, substituteVariables } from './query-check.js';
export { SLO_WINDOWS, sloRecordName } from './rules/slo.js';
export { type AlertingRule, isAlert, type RecordingRule, type Rule, type RuleGroup } from './rules/types.js';
export { leftoverFiles, MIXIN_OUTPUT_DIRS, syncFiles, type SyncResult, syncTree } from './write-files.js';
export { dashboardQueries, defaultVariableValues, type PanelQuery, panelsOf, variableQueries } from './inspect.js';
