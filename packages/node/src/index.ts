/**
 * `@otelkit/node`: what a service author needs, and nothing else (packages/node/README.md documents each export;
 * packages/node/api/node.api.md pins them). Internal modules are not reachable from outside the package.
 */
export { ConfigError, type ConfigProblem } from './config/config-error.js';
export type { StartOptions } from './config/start-options.js';
export type {
  Compression,
  DiagLevelName,
  EsmHookMode,
  HttpServerInstrumentation,
  LogFormat,
  LogLevelName,
  MetricsSerializer,
  OtelkitConfig,
  SamplerName,
  TracesExporterName,
} from './config/types.js';
export { createLogger, type OtelkitLoggerOptions, traceFields } from './logger.js';
export { metricsHandler } from './metrics-handler.js';
export {
  DB_CLIENT_LABELS,
  EXEMPLAR_SPAN_ID_LABEL,
  EXEMPLAR_TRACE_ID_LABEL,
  HTTP_LABELS,
  METRICS,
  RUNTIME_LABELS,
  SDK_LABELS,
  SERVICE_INSTANCE_ID_LABEL,
} from './public-names.js';
export type { InstrumentationName } from './names.js';
export { shutdown } from './shutdown.js';
export { type OtelkitHandle, start } from './start.js';
