/**
 * The single source of truth for every name otelkit puts on the wire: metric and label names, exemplar labels,
 * resource attribute keys, environment variables and default ports. Dashboards, alert rules, services, the collector
 * config generators and the tests import these constants instead of repeating the strings.
 *
 * This module has no side effects and no dependencies, so `@otelkit/node/names` is cheap to import anywhere.
 */

/** Default port of the standalone Prometheus metrics server (the OTel Prometheus exporter convention). */
export const DEFAULT_METRICS_PORT = 9464;
/** Default host the standalone metrics server binds to. */
export const DEFAULT_METRICS_HOST = '0.0.0.0';
/** Path served by the metrics handler. */
export const METRICS_PATH = '/metrics';
/** OTLP ports of an OpenTelemetry Collector. */
export const OTLP_GRPC_PORT = 4317;
export const OTLP_HTTP_PORT = 4318;
/** Default OTLP gRPC endpoint (the spec default). */
export const DEFAULT_OTLP_GRPC_ENDPOINT = `http://localhost:${OTLP_GRPC_PORT}`;

/** Paths that are never traced nor counted in the RED metrics, unless overridden. */
export const DEFAULT_IGNORED_PATHS: readonly string[] = ['/healthz', '/readyz', '/livez', METRICS_PATH];

/** Prometheus label names of the HTTP server RED metrics (semantic-convention attributes, Prometheus-sanitised). */
export const HTTP_LABELS = {
  method: 'http_request_method',
  route: 'http_route',
  statusCode: 'http_response_status_code',
} as const;

/** Exemplar label that carries the trace id (Grafana's exemplar "label name" setting must match it). */
export const EXEMPLAR_TRACE_ID_LABEL = 'trace_id';
/** Value of the `error_type` label on spans dropped because the export queue was full. */
export const QUEUE_FULL_ERROR_TYPE = 'queue_full';
/** Exemplar label that carries the span id. */
export const EXEMPLAR_SPAN_ID_LABEL = 'span_id';

/** Value of `http_route` for requests that matched no route (keeps 404 floods to one series per method/status). */
export const UNMATCHED_ROUTE = '';
/** Value of `http_request_method` for methods outside the known set (semantic conventions' `_OTHER`). */
export const OTHER_METHOD = '_OTHER';
export const KNOWN_HTTP_METHODS: readonly string[] = [
  'CONNECT',
  'DELETE',
  'GET',
  'HEAD',
  'OPTIONS',
  'PATCH',
  'POST',
  'PUT',
  'QUERY',
  'TRACE',
];

/**
 * Bucket boundaries (seconds) of the HTTP server duration histogram: the semantic-convention advice, which resolves
 * the 5 ms to 10 s range that matters for request latency SLOs.
 */
export const HTTP_DURATION_BUCKETS: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
];

/**
 * Prometheus metric names exposed on `/metrics`, by Prometheus conventions: the unit as a suffix (`_seconds`,
 * `_bytes`) and `_total` on counters. `httpServerDuration` comes from otelkit (with exemplars); the
 * runtime metrics are prom-client's default Node.js metrics; the others come from OpenTelemetry instrumentations
 * and the SDK's own self-observability, through the OpenTelemetry Prometheus exporter.
 */
export const METRICS = {
  /** Histogram of HTTP server request durations, labelled by HTTP_LABELS, with trace-id exemplars. */
  httpServerDuration: 'http_server_request_duration_seconds',
  /**
   * Client-side duration of PostgreSQL operations (pg instrumentation, `db.client.operation.duration`, unit `s`).
   * otelkit appends the unit suffix the OTel Prometheus exporter leaves out (metrics/prometheus-unit-suffix.ts).
   */
  dbClientOperationDuration: 'db_client_operation_duration_seconds',
  /**
   * pg pool connections by state. The pg instrumentation's `db.client.connection.count` is renamed by a view to
   * its previous semantic-convention name: a gauge named `..._count` fails Prometheus' metric-name lint.
   */
  dbClientConnections: 'db_client_connections_usage',
  /** Outgoing HTTP request duration (http/undici instrumentations, `http.client.request.duration`, unit `s`). */
  httpClientDuration: 'http_client_request_duration_seconds',
  /** pg pool size limit and requests waiting for a connection (pg instrumentation). */
  dbClientConnectionMax: 'db_client_connection_max',
  dbClientConnectionPendingRequests: 'db_client_connection_pending_requests',
  /** Runtime (prom-client default metrics). */
  eventLoopLag: 'nodejs_eventloop_lag_seconds',
  eventLoopLagP50: 'nodejs_eventloop_lag_p50_seconds',
  eventLoopLagP90: 'nodejs_eventloop_lag_p90_seconds',
  eventLoopLagP99: 'nodejs_eventloop_lag_p99_seconds',
  gcDuration: 'nodejs_gc_duration_seconds',
  heapSizeUsed: 'nodejs_heap_size_used_bytes',
  heapSizeTotal: 'nodejs_heap_size_total_bytes',
  heapSpaceUsed: 'nodejs_heap_space_size_used_bytes',
  externalMemory: 'nodejs_external_memory_bytes',
  /** Active libuv handles/requests by type (sum them for a total). */
  activeHandles: 'nodejs_active_handles',
  activeRequests: 'nodejs_active_requests',
  activeResources: 'nodejs_active_resources',
  processCpu: 'process_cpu_seconds_total',
  processResidentMemory: 'process_resident_memory_bytes',
  processStartTime: 'process_start_time_seconds',
  processOpenFds: 'process_open_fds',
  processMaxFds: 'process_max_fds',
  nodeVersionInfo: 'nodejs_version_info',
  /**
   * SDK self-observability: spans handled by the batch processor. Dropped spans carry an `error_type` label:
   * `queue_full` when the bounded queue overflowed, or the export error (e.g. `Error`) when the collector failed.
   */
  sdkSpansProcessed: 'otel_sdk_processor_span_processed_total',
  sdkSpanQueueSize: 'otel_sdk_processor_span_queue_size',
  sdkSpanQueueCapacity: 'otel_sdk_processor_span_queue_capacity',
  /** SDK self-observability: spans the exporter finished exporting; `error_type` set on failures. */
  sdkSpansExported: 'otel_sdk_exporter_span_exported_total',
  /** Resource attributes of the process, one series (OpenTelemetry Prometheus exporter). */
  targetInfo: 'target_info',
} as const;

/** Prometheus label names of the pg instrumentation's client metrics (semantic-convention attributes, sanitised). */
export const DB_CLIENT_LABELS = {
  /** `db.operation.name` on `db_client_operation_duration_seconds` (SELECT, INSERT, ...). */
  operation: 'db_operation_name',
  system: 'db_system_name',
  namespace: 'db_namespace',
  /** `db.client.connection.state` on `db_client_connections_usage` (idle, used). */
  connectionState: 'db_client_connection_state',
  poolName: 'db_client_connection_pool_name',
} as const;

/** Label names of the Node.js runtime metrics (prom-client default metrics). */
export const RUNTIME_LABELS = {
  /** GC kind on `nodejs_gc_duration_seconds` (major, minor, incremental, weakcb). */
  gcKind: 'kind',
  /** V8 heap space on `nodejs_heap_space_size_*_bytes`. */
  heapSpace: 'space',
  /** libuv handle/resource type on `nodejs_active_handles` and `nodejs_active_resources`. */
  resourceType: 'type',
  /** Node.js version on `nodejs_version_info`. */
  nodeVersion: 'version',
} as const;

/** Label names of the SDK self-observability metrics (`otel_sdk_*`). */
export const SDK_LABELS = {
  /** Set on dropped or failed spans; absent on successful ones. */
  errorType: 'error_type',
  componentName: 'otel_component_name',
} as const;

/** Resource attribute keys otelkit sets (OpenTelemetry semantic conventions). */
export const RESOURCE_ATTRIBUTES = {
  serviceName: 'service.name',
  serviceVersion: 'service.version',
  serviceNamespace: 'service.namespace',
  serviceInstanceId: 'service.instance.id',
  deploymentEnvironment: 'deployment.environment.name',
  telemetrySdkName: 'telemetry.sdk.name',
  telemetrySdkLanguage: 'telemetry.sdk.language',
  telemetrySdkVersion: 'telemetry.sdk.version',
  k8sPodName: 'k8s.pod.name',
  k8sPodUid: 'k8s.pod.uid',
  k8sPodIp: 'k8s.pod.ip',
  k8sNamespaceName: 'k8s.namespace.name',
  k8sNodeName: 'k8s.node.name',
  k8sContainerName: 'k8s.container.name',
  k8sDeploymentName: 'k8s.deployment.name',
  containerId: 'container.id',
} as const;

/**
 * Label of `target_info` (the resource as a Prometheus series) carrying `service.instance.id`: the value that tells
 * replicas apart, joinable onto any series scraped from the same target with
 * `* on (job, instance) group_left (service_instance_id) target_info`.
 */
export const SERVICE_INSTANCE_ID_LABEL = 'service_instance_id';

/**
 * Environment variables the Kubernetes resource detector reads, and the attribute each sets: the kit's chart and
 * manifests set them from the downward API. Prefixed, so an unrelated environment cannot set them by accident.
 */
export const K8S_ENV = {
  OTELKIT_K8S_POD_NAME: RESOURCE_ATTRIBUTES.k8sPodName,
  OTELKIT_K8S_NAMESPACE_NAME: RESOURCE_ATTRIBUTES.k8sNamespaceName,
  OTELKIT_K8S_POD_UID: RESOURCE_ATTRIBUTES.k8sPodUid,
  OTELKIT_K8S_POD_IP: RESOURCE_ATTRIBUTES.k8sPodIp,
  OTELKIT_K8S_NODE_NAME: RESOURCE_ATTRIBUTES.k8sNodeName,
  OTELKIT_K8S_CONTAINER_NAME: RESOURCE_ATTRIBUTES.k8sContainerName,
} as const;

/**
 * Deprecated: the unprefixed names read before K8S_ENV. Many environments define some of them for other purposes,
 * so they are read only as a complete set (every LEGACY_K8S_ENV_REQUIRED variable set, none of K8S_ENV), with a
 * deprecation warning.
 */
export const LEGACY_K8S_ENV = {
  POD_NAME: RESOURCE_ATTRIBUTES.k8sPodName,
  POD_NAMESPACE: RESOURCE_ATTRIBUTES.k8sNamespaceName,
  POD_UID: RESOURCE_ATTRIBUTES.k8sPodUid,
  POD_IP: RESOURCE_ATTRIBUTES.k8sPodIp,
  NODE_NAME: RESOURCE_ATTRIBUTES.k8sNodeName,
  CONTAINER_NAME: RESOURCE_ATTRIBUTES.k8sContainerName,
} as const;
export const LEGACY_K8S_ENV_REQUIRED: readonly (keyof typeof LEGACY_K8S_ENV)[] = [
  'POD_NAME',
  'POD_NAMESPACE',
  'POD_UID',
];
/** Code of the deprecation warning emitted when LEGACY_K8S_ENV is read. */
export const LEGACY_K8S_ENV_WARNING_CODE = 'OTELKIT_DEP_K8S_ENV';

/** Log record keys carrying the trace context (OpenTelemetry log data model names, as pino instrumentation uses). */
export const LOG_KEYS = {
  traceId: 'trace_id',
  spanId: 'span_id',
  traceFlags: 'trace_flags',
} as const;

/** Instrumentations otelkit knows, and the curated subset enabled by default. */
export const INSTRUMENTATION_NAMES = ['http', 'express', 'pg', 'pino', 'undici', 'fs', 'dns', 'net'] as const;
export type InstrumentationName = (typeof INSTRUMENTATION_NAMES)[number];
/**
 * Express is not among the defaults: the route template that names the request span and labels the RED histogram is
 * captured from Express's own dispatch (http/express-route.ts); the Express instrumentation, which wraps every layer
 * of every request, is enabled by OTELKIT_EXPRESS_LAYER_SPANS=true (layer spans) or by naming it.
 */
export const DEFAULT_INSTRUMENTATIONS: readonly InstrumentationName[] = ['http', 'pg', 'pino', 'undici'];

/**
 * prom-client default metrics otelkit does not serve: gauges named `..._total`, which Prometheus' metric-name lint
 * rejects (a `_total` suffix means a counter). `sum(nodejs_active_handles)` etc. give the same totals.
 */
export const OMITTED_DEFAULT_METRICS: readonly string[] = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
];

/** OpenTelemetry instrument renames applied by otelkit's views (instrument name -> exported name). */
export const INSTRUMENT_RENAMES: Readonly<Record<string, string>> = {
  'db.client.connection.count': 'db.client.connections.usage',
};
