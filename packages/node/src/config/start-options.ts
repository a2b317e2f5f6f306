import type { Registry } from 'prom-client';
import type { InstrumentationName } from '../names.js';
import type {
  Compression,
  DiagLevelName,
  EsmHookMode,
  HttpServerInstrumentation,
  LogFormat,
  LogLevelName,
  MetricsSerializer,
  SamplerName,
  TracesExporterName,
} from './types.js';

/**
 * Options of `start()`. Every option is optional and, when given, wins over its environment variable
 * (see README.md for the table of options, variables and defaults).
 */
export interface StartOptions {
  /** `service.name`. Env: OTEL_SERVICE_NAME. */
  serviceName?: string;
  /** `service.version`. Env: `service.version` in OTEL_RESOURCE_ATTRIBUTES. */
  serviceVersion?: string;
  /** Extra resource attributes; merged over OTEL_RESOURCE_ATTRIBUTES. */
  resourceAttributes?: Record<string, string>;
  /** Disable everything (no-op start). Env: OTEL_SDK_DISABLED. */
  disabled?: boolean;
  /** OpenTelemetry diagnostic logging. Env: OTEL_LOG_LEVEL. */
  diagLogLevel?: DiagLevelName;
  traces?: {
    /** Env: OTEL_TRACES_EXPORTER. */
    exporter?: TracesExporterName;
    /** OTLP gRPC endpoint. Env: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, OTEL_EXPORTER_OTLP_ENDPOINT. */
    endpoint?: string;
    /**
     * gRPC metadata sent with every export (an API key, a tenant): merged over OTEL_EXPORTER_OTLP_HEADERS and
     * OTEL_EXPORTER_OTLP_TRACES_HEADERS (`key=value,key2=value2`, values percent-encoded), the option's keys winning.
     */
    headers?: Record<string, string>;
    /** Env: OTEL_EXPORTER_OTLP_TRACES_COMPRESSION, OTEL_EXPORTER_OTLP_COMPRESSION. */
    compression?: Compression;
    /** Per-export timeout. Env: OTEL_EXPORTER_OTLP_TRACES_TIMEOUT, OTEL_EXPORTER_OTLP_TIMEOUT. */
    timeoutMillis?: number;
    /** gRPC keepalive ping interval. Env: OTELKIT_GRPC_KEEPALIVE_MS. */
    keepaliveMillis?: number;
    /** Env: OTEL_TRACES_SAMPLER. */
    sampler?: SamplerName;
    /** Ratio for the traceidratio samplers. Env: OTEL_TRACES_SAMPLER_ARG. */
    samplerRatio?: number;
    /** Bounded span queue. Env: OTEL_BSP_MAX_QUEUE_SIZE. */
    maxQueueSize?: number;
    /** Env: OTEL_BSP_MAX_EXPORT_BATCH_SIZE. */
    maxExportBatchSize?: number;
    /** Env: OTEL_BSP_SCHEDULE_DELAY. */
    scheduledDelayMillis?: number;
    /** Env: OTEL_BSP_EXPORT_TIMEOUT. */
    exportTimeoutMillis?: number;
  };
  metrics?: {
    /** Start the standalone metrics server. Env: OTELKIT_METRICS_SERVER. */
    server?: boolean;
    /** Env: OTEL_EXPORTER_PROMETHEUS_HOST. */
    host?: string;
    /** Env: OTEL_EXPORTER_PROMETHEUS_PORT. */
    port?: number;
    /** prom-client default runtime metrics. Env: OTELKIT_RUNTIME_METRICS. */
    runtime?: boolean;
    /**
     * Who writes the prom-client metrics: `otelkit` (default; the same bytes as prom-client for about 2.5 times
     * less CPU per scrape with many series, docs/benchmarks.md) or `prom-client` (its own `Registry.metrics()`).
     * Env: OTELKIT_METRICS_SERIALIZER.
     */
    serializer?: MetricsSerializer;
    /** prom-client registries the service already has, served on the same /metrics. */
    registries?: Registry[];
  };
  /** Exactly these instrumentations. Env: OTEL_NODE_ENABLED_INSTRUMENTATIONS / OTEL_NODE_DISABLED_INSTRUMENTATIONS. */
  instrumentations?: InstrumentationName[];
  /** Request paths never traced and not counted in RED metrics. Env: OTELKIT_IGNORE_PATHS. */
  ignorePaths?: string[];
  /**
   * A span per Express router and request handler, under the request span. Off by default: the request span is
   * named after the route template either way, and these spans mostly repeat its timing while adding to every
   * trace's size (export, collector and storage cost).
   * Env: OTELKIT_EXPRESS_LAYER_SPANS.
   */
  expressLayerSpans?: boolean;
  /**
   * Which instrumentation traces incoming HTTP requests. `otelkit` (default): otelkit's own, which computes span
   * attributes only for sampled requests and activates the request context once (docs/benchmarks.md); `upstream`:
   * @opentelemetry/instrumentation-http's. Spans, attributes, metrics and propagation are the same either way.
   * Env: OTELKIT_HTTP_SERVER (otelkit, upstream).
   */
  httpServer?: HttpServerInstrumentation;
  /**
   * The ESM loader hook (import-in-the-middle), which instruments packages an ES module application `import`s.
   * `auto` (default) registers it when the entry point is an ES module (`.mjs`, or `.js` under
   * `"type": "module"`) and skips it for CommonJS applications, whose `require` calls are instrumented without it;
   * on Node 20 the hook costs about 300 ms of start-up (docs/benchmarks.md). `true` for a CommonJS application that
   * `import()`s instrumented packages. Env: OTELKIT_ESM_HOOK (auto, true, false).
   */
  esmHook?: EsmHookMode;
  /**
   * One JSON access-log line per request (method, route, status, duration, trace id). Off by default: the request
   * span and the RED histogram already carry all of it, and the line was the largest per-request cost otelkit
   * chose itself (docs/benchmarks.md). Env: OTELKIT_REQUEST_LOG.
   */
  requestLog?: boolean;
  /** Level of otelkit's pino logger. Env: OTELKIT_LOG_LEVEL. */
  logLevel?: LogLevelName;
  /**
   * `json` lines, `pretty` coloured lines (pino-pretty, loaded only then), or `auto` (default): pretty when stdout is
   * a terminal, JSON otherwise. The fields are the same either way, trace ids included. Env: OTELKIT_LOG_FORMAT.
   */
  logFormat?: LogFormat;
  /** Upper bound for flushing telemetry at shutdown. Env: OTELKIT_SHUTDOWN_TIMEOUT_MS. */
  shutdownTimeoutMillis?: number;
  /** Flush on SIGTERM/SIGINT. Env: OTELKIT_HANDLE_SIGNALS. */
  handleSignals?: boolean;
  /** Environment to read instead of process.env (tests). */
  env?: Readonly<Record<string, string | undefined>>;
}
