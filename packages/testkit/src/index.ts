export { AppProcess, type LogLine, type StartAppOptions, startApp } from './app-process.js';
export { JaegerApi, type JaegerSpan, type JaegerTrace, tagOf } from './jaeger-api.js';
export { labelOf, sampleLines, scrapeText, seriesOf, sumOf, valueOf } from './metrics-text.js';
export { OtlpGrpcReceiver, type ReceivedSpan, type ReceivedValue } from './otlp-grpc-receiver.js';
export { LatencyProxy, type LatencyProxyOptions } from './latency-proxy.js';
export { FLOOD_METHODS, type FloodResult, floodRandomPaths } from './random-paths.js';
