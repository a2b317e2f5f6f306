/**
 * The cluster layout the Kubernetes files assume, written once: namespaces, Helm release names (which become
 * Service names and the label Prometheus selects on), pinned chart versions and images.
 */
import { CLUSTER, STACK } from '@otelkit/stack-topology';

/**
 * Namespace of the observability stack (Prometheus, Grafana, Jaeger, the agent collectors). The dashboards package
 * generates its ConfigMaps and PrometheusRule into the same namespace (the tests check they agree).
 */
export const OBSERVABILITY_NAMESPACE = CLUSTER.observabilityNamespace;
/** Namespace of the demo (API, Postgres, k6); the native stack and compose label their targets with it too. */
export const DEMO_NAMESPACE = CLUSTER.demoNamespace;

/**
 * The cluster's name, `k8s.cluster.name` on every span the agents forward (their OTEL_RESOURCE_ATTRIBUTES, read by
 * resource_detection's env detector). The one value to change for your cluster, then `npm run generate`.
 */
export const CLUSTER_NAME = 'otelkit';

/** Helm release names. A release named like its chart gets the chart's plain names (Service `jaeger`, ...). */
export const RELEASES = {
  certManager: 'cert-manager',
  prometheusAdapter: 'prometheus-adapter',
  kubePrometheusStack: CLUSTER.kubePrometheusStackRelease,
  jaeger: STACK.jaeger.service,
  agent: 'otel-agent',
  /** The gateway collector tier (collector/kubernetes/gateway.yaml). */
  gateway: 'otel-gateway',
  postgresExporter: STACK.postgresExporter.service,
  demo: STACK.demo.service,
  /** The trace store of helm-values/jaeger-opensearch.yaml (its Services are named by the chart's clusterName). */
  opensearch: 'opensearch',
} as const;

/**
 * The label every ServiceMonitor, PodMonitor and PrometheusRule that Prometheus loads carries, and the only thing the
 * Prometheus of kube-prometheus-stack selects on (helm-values/kube-prometheus-stack.yaml). Not the chart's usual
 * `release: <release name>`: ours carry it whatever the release names are, and kube-prometheus-stack's own monitors
 * and rules get it from its `commonLabels` and its subcharts' monitor labels, so any release name works.
 */
export const PROMETHEUS_SELECTOR_LABELS = CLUSTER.prometheusSelectorLabels;

/** The label the Grafana dashboards sidecar watches for ConfigMaps holding dashboards. */
export const GRAFANA_DASHBOARD_LABEL = { grafana_dashboard: '1' } as const;

/** Upstream charts and the versions our values target (their defaults are vendored in kubernetes/upstream-charts). */
export const CHARTS = {
  kubePrometheusStack: {
    chart: 'kube-prometheus-stack',
    version: '88.5.3',
    repo: 'prometheus-community',
    url: 'https://prometheus-community.github.io/helm-charts',
  },
  postgresExporter: {
    chart: 'prometheus-postgres-exporter',
    version: '8.2.0',
    repo: 'prometheus-community',
    url: 'https://prometheus-community.github.io/helm-charts',
  },
  collector: {
    chart: 'opentelemetry-collector',
    version: '0.170.0',
    repo: 'open-telemetry',
    url: 'https://open-telemetry.github.io/opentelemetry-helm-charts',
  },
  operator: {
    chart: 'opentelemetry-operator',
    version: '0.122.0',
    repo: 'open-telemetry',
    url: 'https://open-telemetry.github.io/opentelemetry-helm-charts',
  },
  jaeger: {
    chart: 'jaeger',
    version: '4.11.1',
    repo: 'jaegertracing',
    url: 'https://jaegertracing.github.io/helm-charts',
  },
  /** OpenSearch 2.19.5 by default; helm-values/opensearch.yaml sets the image to OPENSEARCH_VERSION. */
  opensearch: {
    chart: 'opensearch',
    version: '2.37.0',
    repo: 'opensearch',
    url: 'https://opensearch-project.github.io/helm-charts',
  },
  prometheusAdapter: {
    chart: 'prometheus-adapter',
    version: '5.3.0',
    repo: 'prometheus-community',
    url: 'https://prometheus-community.github.io/helm-charts',
  },
  certManager: {
    chart: 'cert-manager',
    version: '1.21.1',
    repo: 'jetstack',
    url: 'https://charts.jetstack.io',
  },
} as const;

/** The Gateway API release whose standard-channel CRDs the edge objects target (kubernetes/upstream-crds). */
export const GATEWAY_API_VERSION = '1.6.1';
export type ChartId = keyof typeof CHARTS;

/** In-cluster DNS name of a Service. */
function serviceHost(service: string, namespace: string): string {
  return `${service}.${namespace}.svc`;
}

/** Services the releases above create (names follow each chart's naming with our release names). */
export const SERVICES = {
  /** The jaeger chart's all-in-one Service: OTLP on the standard ports, query UI/API on 16686. */
  jaeger: serviceHost(RELEASES.jaeger, OBSERVABILITY_NAMESPACE),
  prometheus: serviceHost(`${RELEASES.kubePrometheusStack}-prometheus`, OBSERVABILITY_NAMESPACE),
  /** The opensearch chart's HTTP Service: `<clusterName>-<nodeGroup>` (its defaults `opensearch-cluster`, `master`). */
  opensearch: serviceHost('opensearch-cluster-master', OBSERVABILITY_NAMESPACE),
} as const;

/**
 * A scrape's relabeling that sets `job` to one of the JOBS names. Prometheus Operator derives `job` from the Service
 * (ServiceMonitor) or `<namespace>/<PodMonitor name>` (PodMonitor), while the dashboards and alerts select the JOBS
 * names (`job="otel-collector"`, `job="postgres-exporter"`): the same names as in compose.
 */
export function jobRelabeling(job: string): { action: 'replace'; targetLabel: 'job'; replacement: string } {
  return { action: 'replace', targetLabel: 'job', replacement: job };
}
