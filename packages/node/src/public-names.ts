/**
 * `@otelkit/node/names`: the names a user meets outside the code, without side effects or dependencies. Metric and
 * label names and values to query (dashboards, alerts), histogram boundaries (SLO thresholds), exemplar and log keys,
 * resource attribute keys (trace search), the variables of the Kubernetes resource detector (manifests) and the
 * default ports and path (scrape and collector configs). otelkit's internal policy (method sets, renames, omitted
 * metrics) stays in names.ts.
 */
export {
  DB_CLIENT_LABELS,
  DEFAULT_METRICS_PORT,
  EXEMPLAR_SPAN_ID_LABEL,
  EXEMPLAR_TRACE_ID_LABEL,
  HTTP_DURATION_BUCKETS,
  HTTP_LABELS,
  K8S_ENV,
  LOG_KEYS,
  METRICS,
  METRICS_PATH,
  OTHER_METHOD,
  OTLP_GRPC_PORT,
  OTLP_HTTP_PORT,
  QUEUE_FULL_ERROR_TYPE,
  RESOURCE_ATTRIBUTES,
  RUNTIME_LABELS,
  SDK_LABELS,
  SERVICE_INSTANCE_ID_LABEL,
  UNMATCHED_ROUTE,
} from './names.js';
