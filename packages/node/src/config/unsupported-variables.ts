type Env = Readonly<Record<string, string | undefined>>;

/** Code of the warning emitted once per standard variable otelkit does not act on. */
export const UNSUPPORTED_VARIABLE_WARNING_CODE = 'OTELKIT_UNSUPPORTED_ENV';

const METRICS_INSTEAD =
  'otelkit serves metrics for Prometheus to scrape on /metrics (OTEL_EXPORTER_PROMETHEUS_HOST/PORT)';
const LOGS_INSTEAD = 'otelkit writes logs to stdout as pino lines carrying trace_id; ship them from there';
const NO_TLS_FILES = 'otelkit uses the system CA store for https:// endpoints and no client certificate';

/**
 * The standard OpenTelemetry SDK variables (the specification's list, plus the JS SDK's OTEL_NODE_RESOURCE_DETECTORS)
 * that otelkit does not read, with what it does instead. `same` lists values that describe what otelkit does anyway
 * (no warning for those). Variables otelkit reads are in resolve-config.ts; OTEL_SEMCONV_STABILITY_OPT_IN is read
 * by the instrumentations themselves.
 */
const UNSUPPORTED: Readonly<Record<string, { instead: string; same?: readonly string[] }>> = {
  OTEL_PROPAGATORS: { instead: 'otelkit propagates W3C tracecontext and baggage', same: ['tracecontext,baggage'] },
  OTEL_METRICS_EXPORTER: { instead: METRICS_INSTEAD, same: ['prometheus'] },
  OTEL_LOGS_EXPORTER: { instead: LOGS_INSTEAD, same: ['none'] },
  OTEL_NODE_RESOURCE_DETECTORS: {
    instead:
      'otelkit always detects host, process and container, and Kubernetes from OTELKIT_K8S_*; add attributes with OTEL_RESOURCE_ATTRIBUTES',
  },
  OTEL_CONFIG_FILE: { instead: 'otelkit is configured by options of start() and variables only' },
  OTEL_EXPERIMENTAL_CONFIG_FILE: { instead: 'otelkit is configured by options of start() and variables only' },
  OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: { instead: "the SDK's default (no limit) applies" },
  OTEL_ATTRIBUTE_COUNT_LIMIT: { instead: "the SDK's default (128) applies" },
  OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT: { instead: "the SDK's default (no limit) applies" },
  OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT: { instead: "the SDK's default (128) applies" },
  OTEL_SPAN_EVENT_COUNT_LIMIT: { instead: "the SDK's default (128) applies" },
  OTEL_SPAN_LINK_COUNT_LIMIT: { instead: "the SDK's default (128) applies" },
  OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT: { instead: "the SDK's default (128) applies" },
  OTEL_LINK_ATTRIBUTE_COUNT_LIMIT: { instead: "the SDK's default (128) applies" },
  OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT: { instead: LOGS_INSTEAD },
  OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT: { instead: LOGS_INSTEAD },
  OTEL_BLRP_SCHEDULE_DELAY: { instead: LOGS_INSTEAD },
  OTEL_BLRP_EXPORT_TIMEOUT: { instead: LOGS_INSTEAD },
  OTEL_BLRP_MAX_QUEUE_SIZE: { instead: LOGS_INSTEAD },
  OTEL_BLRP_MAX_EXPORT_BATCH_SIZE: { instead: LOGS_INSTEAD },
  OTEL_METRIC_EXPORT_INTERVAL: { instead: `${METRICS_INSTEAD}, at the scrape interval` },
  OTEL_METRIC_EXPORT_TIMEOUT: { instead: METRICS_INSTEAD },
  OTEL_METRICS_EXEMPLAR_FILTER: {
    instead: 'otelkit puts exemplars of sampled requests on the HTTP server histogram',
    same: ['trace_based'],
  },
  OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: { instead: METRICS_INSTEAD },
  OTEL_EXPORTER_OTLP_METRICS_HEADERS: { instead: METRICS_INSTEAD },
  OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: { instead: METRICS_INSTEAD },
  OTEL_EXPORTER_OTLP_METRICS_TIMEOUT: { instead: METRICS_INSTEAD },
  OTEL_EXPORTER_OTLP_METRICS_COMPRESSION: { instead: METRICS_INSTEAD },
  OTEL_EXPORTER_OTLP_METRICS_INSECURE: { instead: METRICS_INSTEAD },
  OTEL_EXPORTER_OTLP_METRICS_CERTIFICATE: { instead: METRICS_INSTEAD },
  OTEL_EXPORTER_OTLP_METRICS_CLIENT_KEY: { instead: METRICS_INSTEAD },
  OTEL_EXPORTER_OTLP_METRICS_CLIENT_CERTIFICATE: { instead: METRICS_INSTEAD },
  OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: { instead: METRICS_INSTEAD },
  OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION: { instead: METRICS_INSTEAD },
  OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: { instead: LOGS_INSTEAD },
  OTEL_EXPORTER_OTLP_LOGS_HEADERS: { instead: LOGS_INSTEAD },
  OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: { instead: LOGS_INSTEAD },
  OTEL_EXPORTER_OTLP_LOGS_TIMEOUT: { instead: LOGS_INSTEAD },
  OTEL_EXPORTER_OTLP_LOGS_COMPRESSION: { instead: LOGS_INSTEAD },
  OTEL_EXPORTER_OTLP_LOGS_INSECURE: { instead: LOGS_INSTEAD },
  OTEL_EXPORTER_OTLP_LOGS_CERTIFICATE: { instead: LOGS_INSTEAD },
  OTEL_EXPORTER_OTLP_LOGS_CLIENT_KEY: { instead: LOGS_INSTEAD },
  OTEL_EXPORTER_OTLP_LOGS_CLIENT_CERTIFICATE: { instead: LOGS_INSTEAD },
  OTEL_EXPORTER_OTLP_INSECURE: { instead: 'the endpoint scheme decides: http:// is plaintext, https:// is TLS' },
  OTEL_EXPORTER_OTLP_TRACES_INSECURE: { instead: 'the endpoint scheme decides: http:// is plaintext, https:// is TLS' },
  OTEL_EXPORTER_OTLP_CERTIFICATE: { instead: NO_TLS_FILES },
  OTEL_EXPORTER_OTLP_CLIENT_KEY: { instead: NO_TLS_FILES },
  OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: { instead: NO_TLS_FILES },
  OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE: { instead: NO_TLS_FILES },
  OTEL_EXPORTER_OTLP_TRACES_CLIENT_KEY: { instead: NO_TLS_FILES },
  OTEL_EXPORTER_OTLP_TRACES_CLIENT_CERTIFICATE: { instead: NO_TLS_FILES },
  OTEL_EXPORTER_ZIPKIN_ENDPOINT: { instead: 'otelkit exports traces over OTLP gRPC only' },
  OTEL_EXPORTER_ZIPKIN_TIMEOUT: { instead: 'otelkit exports traces over OTLP gRPC only' },
  OTEL_EXPERIMENTAL_RESPONSE_PROPAGATORS: { instead: 'otelkit propagates W3C tracecontext and baggage' },
};

const normalize = (value: string) =>
  value
    .split(',')
    .map((item) => item.trim().toLowerCase())
    .filter(Boolean)
    .sort()
    .join(',');

/**
 * One warning per standard OpenTelemetry variable that is set, that otelkit does not act on, and whose value differs
 * from what otelkit does anyway: the variable, its value, and what otelkit does instead.
 */
export function unsupportedVariableWarnings(env: Env): string[] {
  const warnings: string[] = [];
  for (const [name, { instead, same = [] }] of Object.entries(UNSUPPORTED)) {
    const value = env[name]?.trim();
    if (value === undefined || value === '') continue;
    if (same.some((s) => normalize(s) === normalize(value))) continue;
    warnings.push(`otelkit: ${name}=${JSON.stringify(value)} is not supported and is ignored; ${instead}.`);
  }
  return warnings;
}

/** The variables `unsupportedVariableWarnings` knows (for the README's table and its test). */
export const UNSUPPORTED_VARIABLES: readonly string[] = Object.keys(UNSUPPORTED);
