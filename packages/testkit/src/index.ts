export {
  CONTROL_PLANE_ADMIN,
  ControlPlane,
  type ControlPlaneBinaries,
  type ControlPlaneOptions,
} from './control-plane.js';
export { AppProcess, type LogLine, type StartAppOptions, startApp } from './app-process.js';
export { track } from './children.js';
export { JaegerApi, type JaegerSpan, type JaegerTrace, tagOf } from './jaeger-api.js';
export { ManagedProcess, type ManagedProcessOptions } from './managed-process.js';
export { labelOf, sampleLines, scrapeText, seriesOf, sumOf, valueOf } from './metrics-text.js';
export { OtlpGrpcReceiver, type ReceivedSpan, type ReceivedValue } from './otlp-grpc-receiver.js';
export { LatencyProxy, type LatencyProxyOptions } from './latency-proxy.js';
export { freePort } from './ports.js';
export { FLOOD_METHODS, type FloodResult, floodRandomPaths } from './random-paths.js';
export { PostgresInstance, postgresBinDir } from './postgres.js';
export { PrometheusInstance, type PrometheusOptions, scrapeConfig } from './prometheus.js';
export { toolBinary } from './tools.js';
export { waitUntil } from './wait.js';
