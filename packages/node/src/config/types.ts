import type { InstrumentationName } from '../names.js';

export const SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;
export type SamplerName = (typeof SAMPLERS)[number];

export const TRACES_EXPORTERS = ['otlp', 'console', 'none'] as const;
export type TracesExporterName = (typeof TRACES_EXPORTERS)[number];

export const COMPRESSIONS = ['gzip', 'none'] as const;
export type Compression = (typeof COMPRESSIONS)[number];

export const DIAG_LEVELS = ['none', 'error', 'warn', 'info', 'debug', 'verbose', 'all'] as const;
export type DiagLevelName = (typeof DIAG_LEVELS)[number];

/** When the ESM loader hook is registered: `auto` only for an ES module entry point (see esm-hook.ts). */
export const ESM_HOOK_MODES = ['auto', 'true', 'false'] as const;
export type EsmHookMode = (typeof ESM_HOOK_MODES)[number];

/**
 * Who writes the prom-client metrics on /metrics: otelkit's serializer (metrics/serialize-prom-client.ts), or
 * prom-client's own `Registry.metrics()`, the upstream path it reproduces.
 */
export const METRICS_SERIALIZERS = ['otelkit', 'prom-client'] as const;
export type MetricsSerializer = (typeof METRICS_SERIALIZERS)[number];

/** Which instrumentation traces incoming HTTP requests (see StartOptions.httpServer). */
export const HTTP_SERVER_INSTRUMENTATIONS = ['otelkit', 'upstream'] as const;
export type HttpServerInstrumentation = (typeof HTTP_SERVER_INSTRUMENTATIONS)[number];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

/** The fully resolved configuration every other module receives. Produced only by `resolveConfig`. */
export interface OtelkitConfig {
  disabled: boolean;
  serviceName: string;
  serviceVersion: string | undefined;
  resourceAttributes: Record<string, string>;
  diagLogLevel: DiagLevelName;
  traces: {
    exporter: TracesExporterName;
    endpoint: string;
    headers: Record<string, string>;
    compression: Compression;
    timeoutMillis: number;
    keepaliveMillis: number;
    sampler: SamplerName;
    samplerRatio: number;
    maxQueueSize: number;
    maxExportBatchSize: number;
    scheduledDelayMillis: number;
    exportTimeoutMillis: number;
  };
  metrics: {
    /** Start the standalone metrics server (recommended: keeps /metrics off the public port). */
    server: boolean;
    host: string;
    port: number;
    /** prom-client default Node.js runtime metrics. */
    runtime: boolean;
    serializer: MetricsSerializer;
  };
  instrumentations: ReadonlySet<InstrumentationName>;
  ignorePaths: readonly string[];
  expressLayerSpans: boolean;
  httpServer: HttpServerInstrumentation;
  esmHook: EsmHookMode;
  requestLog: boolean;
  logLevel: LogLevelName;
  shutdownTimeoutMillis: number;
  handleSignals: boolean;
}
