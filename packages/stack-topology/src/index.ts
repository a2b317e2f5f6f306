/**
 * The reference stack otelkit ships (docker-compose.yml, the native `npm run stack`, the Helm values): service names,
 * ports and Grafana datasource uids, written once. Config generators, the demo, the dashboards and the tests import
 * these; the compose `.env` is generated from them and checked for staleness.
 */
import { DEFAULT_METRICS_PORT, OTLP_GRPC_PORT, OTLP_HTTP_PORT } from '@otelkit/node/names';

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
 * The reference stack in Kubernetes: namespaces and the kube-prometheus-stack release (its Prometheus selects rules
 * and monitors labelled `release: <release>`). The Kubernetes generators and the dashboards' defaults read these.
 */
export const CLUSTER = {
  /** Prometheus, Grafana, Jaeger and the agent collectors. */
  observabilityNamespace: 'monitoring',
  /** The demo API, its Postgres and the k6 Job. */
  demoNamespace: STACK.demo.namespace,
  kubePrometheusStackRelease: 'kube-prometheus-stack',
} as const;
