import { join } from 'node:path';
import { k6ScriptsTemplate } from './demo-chart.js';
import { grafanaRouteManifest } from './edge-routes.js';
import { certManagerValues } from './helm-values/cert-manager.js';
import { prometheusAdapterValues } from './helm-values/prometheus-adapter.js';
import { kubePrometheusStackValues } from './helm-values/kube-prometheus-stack.js';
import { jaegerOpenSearchValues, jaegerValues } from './helm-values/jaeger.js';
import { openSearchValues } from './helm-values/opensearch.js';
import { collectorChartValues } from './helm-values/opentelemetry-collector.js';
import { postgresExporterValues } from './helm-values/prometheus-postgres-exporter.js';
import { CHARTS, type ChartId } from './cluster.js';
import { gatewayManifest } from './gateway-manifest.js';
import { operatorManifest } from './operator-manifest.js';
import { K8S_FILES } from './paths.js';
import { generatedHeader, yamlDocuments } from './yaml-output.js';

/**
 * The values files for the upstream charts, and how each is built: by chart id, plus alternatives for a chart
 * (`chart` names it) that a guide step swaps in.
 */
export const HELM_VALUES = {
  kubePrometheusStack: {
    file: 'kube-prometheus-stack.yaml',
    build: kubePrometheusStackValues,
    source: 'kube-prometheus-stack.ts',
  },
  postgresExporter: {
    file: 'prometheus-postgres-exporter.yaml',
    build: postgresExporterValues,
    source: 'prometheus-postgres-exporter.ts',
  },
  collector: {
    file: 'opentelemetry-collector.yaml',
    build: collectorChartValues,
    source: 'opentelemetry-collector.ts',
    notes: [
      'alternateConfig is collector/config.agent.yaml as is. OTLP is published on each node with hostPort (not',
      'hostNetwork: only these ports are bound on the node, the agent keeps its own network namespace). hostPort',
      'forwarding may rewrite the source IP, so pods are associated by their k8s.pod.ip/k8s.pod.uid resource',
      'attributes (set by @otelkit/node from the downward API) before the connection IP.',
    ],
  },
  jaeger: { file: 'jaeger.yaml', build: jaegerValues, source: 'jaeger.ts' },
  jaegerOpenSearch: {
    chart: 'jaeger',
    file: 'jaeger-opensearch.yaml',
    build: jaegerOpenSearchValues,
    source: 'jaeger.ts',
    notes: [
      'The alternative to jaeger.yaml: traces in the OpenSearch cluster of opensearch.yaml (daily indices, templates',
      'created by Jaeger, the es-index-cleaner CronJob for retention), credentials and CA from Secrets.',
    ],
  },
  opensearch: { file: 'opensearch.yaml', build: openSearchValues, source: 'opensearch.ts' },
  certManager: { file: 'cert-manager.yaml', build: certManagerValues, source: 'cert-manager.ts' },
  prometheusAdapter: {
    file: 'prometheus-adapter.yaml',
    build: prometheusAdapterValues,
    source: 'prometheus-adapter.ts',
  },
} as const;
export type ValuesChartId = keyof typeof HELM_VALUES;

/** The chart a values file is for. */
export function valuesChart(id: ValuesChartId): ChartId {
  const entry = HELM_VALUES[id];
  return 'chart' in entry ? entry.chart : (id as Exclude<ValuesChartId, 'jaegerOpenSearch'>);
}

export function helmValuesPath(id: ValuesChartId): string {
  return join(K8S_FILES.helmValues, HELM_VALUES[id].file);
}

/** Every generated Kubernetes file, by absolute path. */
export function generatedFiles(): Record<string, string> {
  const files: Record<string, string> = {
    [K8S_FILES.operatorManifest]: operatorManifest(),
    [K8S_FILES.gatewayManifest]: gatewayManifest(),
    [K8S_FILES.demoChartK6Scripts]: k6ScriptsTemplate(),
    [join(K8S_FILES.helmValues, 'grafana-route.yaml')]: grafanaRouteManifest(),
  };
  for (const [id, { build, source, ...rest }] of Object.entries(HELM_VALUES) as Array<
    [ValuesChartId, (typeof HELM_VALUES)[ValuesChartId]]
  >) {
    const chart = CHARTS[valuesChart(id)];
    const header = generatedHeader(`kubernetes/src/helm-values/${source}`, [
      `Values for ${chart.repo}/${chart.chart} ${chart.version}: helm-values/README.md has the install commands.`,
      ...('notes' in rest ? rest.notes : []),
    ]);
    files[helmValuesPath(id)] = yamlDocuments(header, [build()]);
  }
  return files;
}
