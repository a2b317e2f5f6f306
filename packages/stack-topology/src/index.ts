/**
 * The reference stack otelkit ships (docker-compose.yml, the native `npm run stack`, the Helm values): service names,
 * ports and Grafana datasource uids, written once. Config generators, the demo, the dashboards and the tests import
 * these; the compose `.env` is generated from them and checked for staleness.
 */
import { DEFAULT_METRICS_PORT, HTTP_LABELS, OTLP_GRPC_PORT, OTLP_HTTP_PORT } from '@otelkit/node/names';

export const STACK = {
  demo: {
    service: 'otelkit-demo',
    port: 8080,
    metricsPort: DEFAULT_METRICS_PORT,
    /**
     * The demo's Kubernetes namespace (with its Postgres and postgres-exporter). The native stack and compose label
     * the demo's and postgres-exporter's scrape targets `namespace` with it too, so the dashboards' namespace variable
     * and the SLO recordings (per namespace and job) read the same in all three setups.
     */
    namespace: 'otelkit-demo',
  },
  collector: {
    service: 'otel-collector',
    otlpGrpcPort: OTLP_GRPC_PORT,
    otlpHttpPort: OTLP_HTTP_PORT,
    /** The collector's own telemetry (Prometheus format). */
    metricsPort: 8888,
    healthPort: 13133,
  },
  jaeger: {
    service: 'jaeger',
    queryPort: 16686,
    /** Jaeger's own telemetry (it is a collector distribution too); not 8888, which the collector uses. */
    metricsPort: 14269,
    healthPort: 13134,
    queryGrpcPort: 16685,
    /** Jaeger's own OTLP gRPC receiver; in the native stack it must not clash with the collector's 4317. */
    otlpGrpcPort: 14317,
    otlpHttpPort: 14318,
  },
  prometheus: { service: 'prometheus', port: 9090 },
  /** Receives Prometheus's alerts and routes them to receivers (stack/config/alertmanager). */
  alertmanager: { service: 'alertmanager', port: 9093 },
  grafana: { service: 'grafana', port: 3000 },
  postgres: { service: 'postgres', port: 5432, database: 'otelkit', user: 'otelkit' },
  postgresExporter: { service: 'postgres-exporter', port: 9187 },
} as const;

/** Prometheus job names of the reference stack's scrape targets (dashboards and alerts select on them). */
export const JOBS = {
  demo: 'otelkit-demo',
  collector: 'otel-collector',
  jaeger: 'jaeger',
  postgresExporter: 'postgres-exporter',
  prometheus: 'prometheus',
  alertmanager: 'alertmanager',
} as const;

/** Fixed Grafana datasource uids: dashboards reference these, never `${DS_...}` inputs. */
export const DATASOURCE_UIDS = { prometheus: 'prometheus', jaeger: 'jaeger' } as const;

/**
 * The reference stack in Kubernetes: namespaces, the kube-prometheus-stack release, and the label its Prometheus
 * selects monitors and rules by (helm-values/kube-prometheus-stack.yaml; not `release: <release>`, so any release
 * name works). The Kubernetes generators and the dashboards' defaults read these.
 */
export const CLUSTER = {
  /** Prometheus, Grafana, Jaeger and the agent collectors. */
  observabilityNamespace: 'monitoring',
  /** The demo API, its Postgres and the k6 Job. */
  demoNamespace: STACK.demo.namespace,
  kubePrometheusStackRelease: 'kube-prometheus-stack',
  prometheusSelectorLabels: { 'otelkit.io/monitoring': 'true' },
} as const;

/**
 * Names the reference demo puts on the wire beyond otelkit's own: its database circuit breaker and degraded reads.
 * The demo, its dashboard panel, its alert and the fault suite import them.
 */
export const DEMO_NAMES = {
  metrics: {
    /** Gauge, one series per `state` label value: 1 for the breaker's current state, 0 for the others. */
    breakerState: 'demo_db_breaker_state',
    /** Counter of transitions, labelled by the `state` entered. */
    breakerTransitions: 'demo_db_breaker_transitions_total',
    /** Counter of requests answered at once with 503 because the breaker was open. */
    breakerRejected: 'demo_db_breaker_rejected_requests_total',
    /** Counter of responses served degraded (from the short-lived cache) while the database failed. */
    degradedResponses: 'demo_degraded_responses_total',
  },
  labels: {
    /** `closed`, `open` or `half_open` on the breaker metrics. */
    state: 'state',
    /** The route template of a degraded response. */
    route: HTTP_LABELS.route,
  },
  /** Values of the `state` label. */
  breakerStates: ['closed', 'open', 'half_open'],
  /** Span attributes and events set by the demo on its server spans. */
  spans: {
    /** Attribute: the breaker state a request met (`closed`, `open`, `half_open`). */
    breakerState: 'demo.db.breaker.state',
    /** Attribute: how a degraded response was served (`cache`). */
    degraded: 'demo.degraded',
    /** Attribute: age in seconds of the degraded response's data. */
    degradedAge: 'demo.degraded.age_s',
    /** Event on the request whose failure opened the breaker, with the attributes below. */
    breakerOpened: 'demo.db.breaker.opened',
    /** Event attributes: the state left, and the failures and calls of the window that tripped it. */
    breakerFrom: 'demo.db.breaker.from',
    breakerFailures: 'demo.db.breaker.failures',
    breakerCalls: 'demo.db.breaker.calls',
  },
  /** Response header of a degraded response: how it was served (`cache`); `Age` says how old its data is. */
  degradedHeader: 'X-Degraded',
} as const;
