export { COLLECTOR_METRICS, jaegerExporterName } from './collector-metrics.js';
export { callLoop } from './call-loop.js';
export { FaultStack } from './fault-stack.js';
export { CEILING_ID, CEILING_KEY, FLOOR_RATE, faultRate, loadAverages, rateForCeiling } from './fault-rate.js';
export {
  type FaultFigures,
  type FiguresFile,
  figuresPath,
  MiB,
  readFigures,
  recordFigures,
  type RunInfo,
  runOf,
  toMiB,
  toSeconds,
} from './figures.js';
export { EndpointProxy } from './endpoint-proxy.js';
export { type Call, call } from './http-call.js';
export { type K6Figures, k6Figures } from './k6-figures.js';
export { MetricSampler, type Sample } from './metric-sampler.js';
export { OtlpProbe, type ProbeTrace } from './otlp-probe.js';
export { type Answer, answerOf, PROBLEM_MEDIA_TYPE, ProblemContract } from './problem-contract.js';
export { renderReliabilityReport } from './reliability-report.js';
export { WriteProbe } from './write-probe.js';
export { runSchemathesis, type SchemathesisReport, type SchemathesisRun, schemathesisBinary } from './schemathesis.js';
export { droppedSpans, exportedSpans, residentMemory, sleep } from './demo-metrics.js';
