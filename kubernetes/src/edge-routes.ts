/**
 * helm-values/grafana-route.yaml: Grafana (kube-prometheus-stack's, behind its own login) on the demo chart's
 * Gateway, HTTPS with the chart's certificate (its `edge.extraHostnames` must list the host). Jaeger's UI has no
 * login: its traces are reachable through Grafana's Jaeger datasource (uid `jaeger`), so it is not exposed here.
 */
import { OBSERVABILITY_NAMESPACE, DEMO_NAMESPACE, RELEASES } from './cluster.js';
import { generatedHeader, yamlDocuments } from './yaml-output.js';

/** The example host of Grafana (the guide's worked example; replace it with yours). */
export const GRAFANA_HOST = 'grafana.example.com';
/** The demo chart's Gateway and its HTTPS listener (demo/chart/templates/edge.yaml with edge.gateway.create). */
export const DEMO_GATEWAY = { name: RELEASES.demo, namespace: DEMO_NAMESPACE, httpsListener: 'https' } as const;

export function grafanaRoute(): Record<string, unknown> {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: {
      name: 'grafana',
      namespace: OBSERVABILITY_NAMESPACE,
      labels: { 'app.kubernetes.io/part-of': 'otelkit', 'app.kubernetes.io/component': 'edge' },
    },
    spec: {
      parentRefs: [
        { name: DEMO_GATEWAY.name, namespace: DEMO_GATEWAY.namespace, sectionName: DEMO_GATEWAY.httpsListener },
      ],
      hostnames: [GRAFANA_HOST],
      rules: [
        {
          matches: [{ path: { type: 'PathPrefix', value: '/' } }],
          // the grafana subchart's Service of the kube-prometheus-stack release
          backendRefs: [{ name: `${RELEASES.kubePrometheusStack}-grafana`, port: 80 }],
        },
      ],
    },
  };
}

export function grafanaRouteManifest(): string {
  return yamlDocuments(
    generatedHeader('kubernetes/src/edge-routes.ts', [
      "Grafana on the demo chart's Gateway (edge.enabled=true, with grafana.example.com in edge.extraHostnames):",
      'kubectl apply -f helm-values/grafana-route.yaml after replacing the host (helm-values/README.md).',
    ]),
    [grafanaRoute()],
  );
}
