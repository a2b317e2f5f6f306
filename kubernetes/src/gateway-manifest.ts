/**
 * collector/kubernetes/gateway.yaml: the gateway collector tier (collector/config.gateway.yaml: tail sampling and
 * span metrics) as a Deployment with its Service, HorizontalPodAutoscaler, PodDisruptionBudget and PodMonitor, and
 * the namespaced Role that lets the agents' load_balancing exporter (k8s resolver) find the gateways' endpoints.
 */
import { JOBS, STACK } from '@otelkit/stack-topology';
import { gatewayConfigYaml } from '@otelkit/stack';
import {
  AGENT_CONTAINER_SECURITY_CONTEXT,
  AGENT_POD_SECURITY_CONTEXT,
  AGENT_SERVICE_ACCOUNT,
  agentImage,
} from './agent-pod.js';
import { jobRelabeling, OBSERVABILITY_NAMESPACE, PROMETHEUS_SELECTOR_LABELS, RELEASES, SERVICES } from './cluster.js';
import { INFORMER_VERBS, type PolicyRule } from './rbac.js';
import { generatedHeader, yamlDocuments } from './yaml-output.js';

const NAME = RELEASES.gateway;
const LABELS = { 'app.kubernetes.io/name': NAME, 'app.kubernetes.io/part-of': 'otelkit' } as const;
const SELECTOR = { 'app.kubernetes.io/name': NAME } as const;
const QUEUE_DIR = '/var/lib/otelcol/queue';

/** What the agents' k8s resolver reads: the EndpointSlices of the gateway Service, in its namespace only. */
export const GATEWAY_RESOLVER_RULES: PolicyRule[] = [
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: [...INFORMER_VERBS] },
];

/** The `service.namespace` the agents' resolver watches (their OTELCOL_GATEWAY_SERVICE). */
export const GATEWAY_SERVICE = `${NAME}.${OBSERVABILITY_NAMESPACE}`;

/** Each gateway: tail sampling holds decision_wait of its share of the traces in memory. */
const GATEWAY_RESOURCES = {
  requests: { cpu: '500m', memory: '512Mi' },
  limits: { cpu: '2', memory: '1Gi' },
} as const;

export const GATEWAY_REPLICAS = { min: 2, max: 10, targetCpuPercent: 70 } as const;

export function gatewayResources(): Record<string, unknown>[] {
  const image = agentImage();
  const metadata = { name: NAME, namespace: OBSERVABILITY_NAMESPACE, labels: LABELS };
  // the generator's output, not the file: one `npm run generate` writes both consistently
  const config = gatewayConfigYaml();
  const grpc = STACK.collector.otlpGrpcPort;
  return [
    // The gateways never call the API server.
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata, automountServiceAccountToken: false },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata,
      data: { 'config.yaml': config },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata,
      spec: {
        selector: { matchLabels: SELECTOR },
        // one gateway at a time: the agents re-route its share of the trace ids while it restarts
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
        template: {
          metadata: { labels: LABELS },
          spec: {
            serviceAccountName: NAME,
            automountServiceAccountToken: false,
            securityContext: AGENT_POD_SECURITY_CONTEXT,
            // on SIGTERM tail_sampling decides every pending trace at once, then the queue is on disk: 30 s is plenty
            terminationGracePeriodSeconds: 30,
            containers: [
              {
                name: 'otel-gateway',
                image: `${image.repository}:${image.tag}`,
                imagePullPolicy: 'IfNotPresent',
                args: ['--config=/etc/otelcol/config.yaml'],
                env: [
                  { name: 'OTELCOL_GATEWAY_ID', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                  { name: 'JAEGER_OTLP_ENDPOINT', value: `${SERVICES.jaeger}:${grpc}` },
                  { name: 'PROMETHEUS_REMOTE_WRITE_URL', value: `http://${SERVICES.prometheus}:9090/api/v1/write` },
                  { name: 'OTELCOL_QUEUE_DIR', value: QUEUE_DIR },
                  { name: 'GOMEMLIMIT', value: '820MiB' },
                  { name: 'OTELCOL_MEMORY_LIMIT_MIB', value: '800' },
                  { name: 'OTELCOL_MEMORY_SPIKE_MIB', value: '200' },
                ],
                ports: [
                  { name: 'otlp-grpc', containerPort: grpc, protocol: 'TCP' },
                  { name: 'metrics', containerPort: STACK.collector.metricsPort, protocol: 'TCP' },
                ],
                resources: GATEWAY_RESOURCES,
                securityContext: AGENT_CONTAINER_SECURITY_CONTEXT,
                livenessProbe: { httpGet: { port: STACK.collector.healthPort, path: '/' }, periodSeconds: 10 },
                readinessProbe: { httpGet: { port: STACK.collector.healthPort, path: '/' }, periodSeconds: 5 },
                volumeMounts: [
                  { name: 'config', mountPath: '/etc/otelcol', readOnly: true },
                  { name: 'queue', mountPath: QUEUE_DIR },
                ],
              },
            ],
            volumes: [
              { name: 'config', configMap: { name: NAME } },
              // the sending queue to Jaeger: survives a crash of the container (SIGKILL, OOM kill), not the pod's
              // deletion; 200,000 spans take about 200 MiB
              { name: 'queue', emptyDir: { sizeLimit: '1Gi' } },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata,
      spec: {
        selector: SELECTOR,
        ports: [{ name: 'otlp-grpc', port: grpc, targetPort: 'otlp-grpc', protocol: 'TCP', appProtocol: 'grpc' }],
      },
    },
    {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata,
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: NAME },
        minReplicas: GATEWAY_REPLICAS.min,
        maxReplicas: GATEWAY_REPLICAS.max,
        metrics: [
          {
            type: 'Resource',
            resource: {
              name: 'cpu',
              target: { type: 'Utilization', averageUtilization: GATEWAY_REPLICAS.targetCpuPercent },
            },
          },
        ],
        // every change of the gateway count moves about 1/N of the trace ids: scale down slowly
        behavior: {
          scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] },
        },
      },
    },
    {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata,
      spec: { maxUnavailable: 1, selector: { matchLabels: SELECTOR } },
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: `${NAME}-resolver`, namespace: OBSERVABILITY_NAMESPACE, labels: LABELS },
      rules: GATEWAY_RESOLVER_RULES,
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: `${NAME}-resolver`, namespace: OBSERVABILITY_NAMESPACE, labels: LABELS },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `${NAME}-resolver` },
      subjects: [{ kind: 'ServiceAccount', name: AGENT_SERVICE_ACCOUNT, namespace: OBSERVABILITY_NAMESPACE }],
    },
    {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PodMonitor',
      metadata: {
        name: NAME,
        namespace: OBSERVABILITY_NAMESPACE,
        labels: { ...LABELS, ...PROMETHEUS_SELECTOR_LABELS },
      },
      spec: {
        selector: { matchLabels: SELECTOR },
        podMetricsEndpoints: [{ port: 'metrics', interval: '15s', relabelings: [jobRelabeling(JOBS.collector)] }],
      },
    },
  ];
}

export function gatewayManifest(): string {
  return yamlDocuments(
    generatedHeader('collector/config.gateway.yaml and kubernetes/src/gateway-manifest.ts', [
      'The gateway collector tier (docs/scaling.md): kubectl apply -f this file next to the agents. The agents find the',
      `gateways through the EndpointSlices of Service ${GATEWAY_SERVICE}: the Role here lets the agents' ServiceAccount`,
      'get/list/watch endpointslices in this namespace, nothing else. HPA on CPU (2 to 10 gateways), PDB: one down at a time.',
    ]),
    gatewayResources(),
  );
}
