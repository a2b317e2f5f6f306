export { buildAll, type Mixin } from './build.js';
export {
  type ConfigOverrides,
  defaultConfig,
  RUNBOOK_BASE_URL,
  type MixinConfig,
  validateConfig,
  withOverrides,
} from './config.js';
export { DASHBOARD_KEYS, type DashboardKey, dashboardUid } from './dashboards/uids.js';
export {
  COLLECTOR,
  exporterLabels,
  exporterMetrics,
  K6,
  KUBERNETES,
  type MetricSource,
  POSTGRES_EXPORTER,
  PROMETHEUS_ALERTS,
  PROMETHEUS_LABELS,
} from './exporter-metrics.js';
export {
  ALL_VALUE,
  type AnnotationSpec,
  type DashboardSpec,
  type PanelSpec,
  type Query,
  type RowSpec,
  UNITS,
} from './grafana.js';
export { knownLabels, knownMetrics } from './known-names.js';
export { dashboardConfigMap, GRAFANA_DASHBOARDS_PATH, prometheusRule, renderFiles } from './outputs.js';
export { parsePromql, type QueryNames, substituteVariables, vectorSelectors } from './query-check.js';
export { BREAKER_OPEN_WINDOW, breakerClosedInWindow } from './rules/breaker.js';
export { alertLinks, dashboardUrl, runbookUrl } from './rules/links.js';
export {
  BURN_RATES,
  badShareOverPeriod,
  SLO_AGGREGATION,
  SLO_PERIOD,
  SLO_RATE_WINDOW,
  SLO_WINDOWS,
  type Sli,
  sloRateRecordName,
  sloRecordName,
} from './rules/slo.js';
export { type AlertingRule, isAlert, type RecordingRule, type Rule, type RuleGroup } from './rules/types.js';
export { leftoverFiles, MIXIN_OUTPUT_DIRS, syncFiles, type SyncResult, syncTree } from './write-files.js';
export {
  annotationQueries,
  dashboardQueries,
  defaultVariableValues,
  type PanelQuery,
  panelsOf,
  variableQueries,
} from './inspect.js';
export { jaegerSearchUrl } from './dashboards/service-overview.js';
