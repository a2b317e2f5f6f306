/**
 * The single manifest of metric and label names of the exporters otelkit does not own: postgres-exporter (Debian's
 * 0.11.1), our collector's own telemetry (v0.159, `level: detailed`), k6's experimental-prometheus-rw output, and the
 * Kubernetes metrics of kube-prometheus-stack (kube-state-metrics, cAdvisor through the kubelet). The names of
 * otelkit's own metrics live in @otelkit/node/names. Dashboards and rules import both and never spell a name.
 *
 * `source` says where a metric can be observed: `stack` metrics are scraped in the end-to-end test from the real
 * exporters (dashboards/test/panels.e2e.test.ts checks every one of them exists there); `kubernetes` metrics only in a
 * cluster (checked against this manifest until a cluster test exists).
 */

/** Labels Prometheus itself attaches (target labels and the histogram bucket label). */
export const PROMETHEUS_LABELS = {
  job: 'job',
  instance: 'instance',
  le: 'le',
  /**
   * The cluster of a series where one Prometheus (Thanos, Mimir, a federation) holds several clusters: the
   * kubernetes-mixin convention, set as an external label. Absent on a single cluster's Prometheus.
   */
  cluster: 'cluster',
} as const;

/** Prometheus' own series of its alerts: `ALERTS{alertname, alertstate, severity, <the alert's labels>}`. */
export const PROMETHEUS_ALERTS = {
  metric: 'ALERTS',
  labels: { alertname: 'alertname', alertstate: 'alertstate', severity: 'severity' },
} as const;

/** prometheus-postgres-exporter 0.11.1 (default queries). Counters carry no `_total` suffix in this version. */
export const POSTGRES_EXPORTER = {
  metrics: {
    up: 'pg_up',
    maxConnections: 'pg_settings_max_connections',
    /** Connections kept for superusers: what the service can use is max_connections minus these. */
    superuserReservedConnections: 'pg_settings_superuser_reserved_connections',
    backends: 'pg_stat_database_numbackends',
    xactCommit: 'pg_stat_database_xact_commit',
    xactRollback: 'pg_stat_database_xact_rollback',
    blocksHit: 'pg_stat_database_blks_hit',
    blocksRead: 'pg_stat_database_blks_read',
    deadlocks: 'pg_stat_database_deadlocks',
    tuplesFetched: 'pg_stat_database_tup_fetched',
    tuplesInserted: 'pg_stat_database_tup_inserted',
    tuplesUpdated: 'pg_stat_database_tup_updated',
    tuplesDeleted: 'pg_stat_database_tup_deleted',
    locks: 'pg_locks_count',
    activityCount: 'pg_stat_activity_count',
    /** Age in seconds of the oldest transaction per state: the "slow query" signal without pg_stat_statements. */
    activityMaxTxDuration: 'pg_stat_activity_max_tx_duration',
    databaseSize: 'pg_database_size_bytes',
  },
  labels: { database: 'datname', lockMode: 'mode', state: 'state' },
  /** Values of the `state` label of pg_stat_activity_* (every state has a series, 0 when no backend is in it). */
  states: { idleInTransaction: 'idle in transaction' },
} as const;

/**
 * The collector's own telemetry (`service.telemetry.metrics.level: detailed`, Prometheus pull reader). Our configs
 * set `without_units: false` and `without_type_suffix: false`, so v0.159's reader names families by Prometheus
 * conventions (checked against a scrape of the real binary): `otelcol_receiver_accepted_spans_total`,
 * `otelcol_process_memory_rss_bytes`, `otelcol_process_cpu_seconds_total`. Failure counters (refused, send_failed,
 * enqueue_failed) only appear after the first failure, so dashboards fall back to 0 through a sibling metric that
 * always exists. The k8sattributes metrics exist only where that processor runs, i.e. in Kubernetes.
 */
export const COLLECTOR = {
  metrics: {
    receiverAcceptedSpans: 'otelcol_receiver_accepted_spans_total',
    receiverRefusedSpans: 'otelcol_receiver_refused_spans_total',
    receiverFailedSpans: 'otelcol_receiver_failed_spans_total',
    exporterSentSpans: 'otelcol_exporter_sent_spans_total',
    exporterSendFailedSpans: 'otelcol_exporter_send_failed_spans_total',
    exporterEnqueueFailedSpans: 'otelcol_exporter_enqueue_failed_spans_total',
    exporterQueueSize: 'otelcol_exporter_queue_size',
    exporterQueueCapacity: 'otelcol_exporter_queue_capacity',
    processorIncomingItems: 'otelcol_processor_incoming_items_total',
    processorOutgoingItems: 'otelcol_processor_outgoing_items_total',
    memoryLimiterAcceptedSpans: 'otelcol_processor_memory_limiter_accepted_spans_total',
    memoryLimiterRefusedSpans: 'otelcol_processor_memory_limiter_refused_spans_total',
    processMemoryRss: 'otelcol_process_memory_rss_bytes',
    processCpuSeconds: 'otelcol_process_cpu_seconds_total',
  },
  /**
   * Metrics that exist only after a failure, so the live test cannot require them; their names are those of the
   * v0.159 modules' metadata.yaml (exporterhelper, memorylimiterprocessor), with the same `otelcol_` prefix and
   * `_total` suffix as the live ones.
   */
  failureOnly: [
    'otelcol_exporter_send_failed_spans_total',
    'otelcol_exporter_enqueue_failed_spans_total',
    'otelcol_processor_memory_limiter_refused_spans_total',
  ],
  /** From k8sattributesprocessor v0.159's metadata.yaml (its `otelsvc_k8s_ip_lookup_miss` is deprecated for the first). */
  kubernetesMetrics: {
    /** Pod association evaluations by `status` (success, error): errors are k8sattributes lookup misses. */
    k8sPodAssociation: 'otelcol_k8s_pod_association_total',
    k8sPodTableSize: 'otelcol_otelsvc_k8s_pod_table_size',
  },
  labels: {
    receiver: 'receiver',
    exporter: 'exporter',
    processor: 'processor',
    signal: 'otel_signal',
    dataType: 'data_type',
    associationStatus: 'status',
  },
} as const;

/**
 * k6's experimental-prometheus-rw output with K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM=true (K6_REMOTE_WRITE_ENV
 * of @otelkit/stack): counters get `_total`, rates `_rate`, trends one native histogram named after their unit
 * (`k6_http_req_duration_seconds`), each per tag set (name, method, status, expected_response, scenario, testid), so
 * a p95 is a windowed `histogram_quantile` like the service's own; `k6_vus` carries only the test-wide tags (no
 * scenario). Checked against a real k6 v2 run (dashboards/test/panels.e2e.test.ts).
 */
export const K6 = {
  metrics: {
    vus: 'k6_vus',
    vusMax: 'k6_vus_max',
    httpReqs: 'k6_http_reqs_total',
    iterations: 'k6_iterations_total',
    checksRate: 'k6_checks_rate',
    /** A native histogram: no `_bucket`/`_count` series, `histogram_quantile` reads it directly. */
    httpReqDuration: 'k6_http_req_duration_seconds',
  },
  labels: {
    testId: 'testid',
    scenario: 'scenario',
    name: 'name',
    status: 'status',
    check: 'check',
    expectedResponse: 'expected_response',
  },
} as const;

/** kube-prometheus-stack: kube-state-metrics and cAdvisor (kubelet) metrics. */
export const KUBERNETES = {
  metrics: {
    podInfo: 'kube_pod_info',
    podStatusPhase: 'kube_pod_status_phase',
    containerRestarts: 'kube_pod_container_status_restarts_total',
    /** 1 for the reason of a container's last termination (`reason`: OOMKilled, Error, Completed, ...). */
    containerLastTerminatedReason: 'kube_pod_container_status_last_terminated_reason',
    containerReady: 'kube_pod_container_status_ready',
    containerResourceRequests: 'kube_pod_container_resource_requests',
    containerResourceLimits: 'kube_pod_container_resource_limits',
    containerCpuUsage: 'container_cpu_usage_seconds_total',
    containerMemoryWorkingSet: 'container_memory_working_set_bytes',
    containerCpuThrottledPeriods: 'container_cpu_cfs_throttled_periods_total',
    containerCpuPeriods: 'container_cpu_cfs_periods_total',
  },
  /** Also the target labels kube-prometheus-stack's ServiceMonitors put on the service's own metrics. */
  labels: {
    namespace: 'namespace',
    pod: 'pod',
    container: 'container',
    resource: 'resource',
    phase: 'phase',
    reason: 'reason',
  },
  /** Label values the alerts select on. */
  values: { memory: 'memory', oomKilled: 'OOMKilled' },
} as const;

/** Where a metric family can be observed. */
export type MetricSource = 'stack' | 'kubernetes';

/** Every metric of this manifest, with where it can be observed. */
export function exporterMetrics(): Map<string, MetricSource> {
  const result = new Map<string, MetricSource>();
  for (const group of [POSTGRES_EXPORTER.metrics, COLLECTOR.metrics, K6.metrics]) {
    for (const name of Object.values(group)) result.set(name, 'stack');
  }
  for (const group of [COLLECTOR.kubernetesMetrics, KUBERNETES.metrics]) {
    for (const name of Object.values(group)) result.set(name, 'kubernetes');
  }
  result.set('up', 'stack');
  return result;
}

/** Every label name of this manifest. */
export function exporterLabels(): Set<string> {
  return new Set(
    [
      PROMETHEUS_LABELS,
      PROMETHEUS_ALERTS.labels,
      POSTGRES_EXPORTER.labels,
      COLLECTOR.labels,
      K6.labels,
      KUBERNETES.labels,
    ].flatMap((group) => Object.values(group)),
  );
}
