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

/**
 * When the ESM loader hook is registered: `auto` only for an ES module entry point (see esm-hook.ts), `true` always,
 * `false` never. The option and OTELKIT_ESM_HOOK take the same values (the variable spells the booleans as text).
 */
export type EsmHookMode = boolean | 'auto';

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

/**
 * How otelkit's logger writes: `json` lines (containers, CI, log shippers), `pretty` coloured lines for a person at a
 * terminal, or `auto`: pretty when stdout is a terminal, JSON otherwise.
 */
export type LogFormat = 'auto' | 'json' | 'pretty';
export const LOG_FORMATS: readonly LogFormat[] = ['auto', 'json', 'pretty'];

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
    /** OTLP request headers (authentication): OTEL_EXPORTER_OTLP_HEADERS, _TRACES_HEADERS, then the option's. */
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
  /** json, pretty, or auto (pretty when stdout is a terminal). */
  logFormat: LogFormat;
  /**
   * Pod metadata from the kit's downward-API variables (OTELKIT_K8S_*): the `k8s.*` attributes, and the deprecated
   * unprefixed variables they were read from, if any.
   */
  kubernetes: { attributes: Record<string, string>; legacyVariables: string[] };
  /** One message per standard OTEL_* variable that is set but not acted on (unsupported-variables.ts). */
  unsupportedVariableWarnings: readonly string[];
  shutdownTimeoutMillis: number;
  handleSignals: boolean;
}
