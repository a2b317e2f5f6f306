/**
 * collector/kubernetes/opentelemetrycollector.yaml: the agent as an OpenTelemetryCollector custom resource for the
 * OpenTelemetry Operator (mode daemonset), with its ServiceAccount, ClusterRole and ClusterRoleBinding, and a
 * PodMonitor for its own metrics. The collector config is collector/config.agent.yaml, embedded as is.
 */
import { JOBS, STACK } from '@otelkit/stack-topology';
import { readAgentConfig } from './agent-config.js';
import {
  AGENT_CONTAINER_SECURITY_CONTEXT,
  AGENT_PRIORITY_CLASS,
  AGENT_POD_SECURITY_CONTEXT,
  AGENT_PORTS,
  AGENT_QUEUE,
  AGENT_RESOURCES,
  AGENT_SERVICE_ACCOUNT,
  AGENT_TOLERATIONS,
  agentEnv,
  agentImage,
} from './agent-pod.js';
import { jobRelabeling, OBSERVABILITY_NAMESPACE, PROMETHEUS_SELECTOR_LABELS, RELEASES } from './cluster.js';
import { requiredRbacRules } from './rbac.js';
import { generatedHeader, yamlDocuments } from './yaml-output.js';

const LABELS = { 'app.kubernetes.io/name': RELEASES.agent, 'app.kubernetes.io/part-of': 'otelkit' } as const;

/** The resources of the file, in apply order. */
export function operatorResources(): Record<string, unknown>[] {
  const { config } = readAgentConfig();
  const image = agentImage();
  const metadata = { name: RELEASES.agent, namespace: OBSERVABILITY_NAMESPACE, labels: LABELS };
  return [
    AGENT_PRIORITY_CLASS,
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata, automountServiceAccountToken: true },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: RELEASES.agent, labels: LABELS },
      rules: requiredRbacRules(config.processors.k8s_attributes),
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: RELEASES.agent, labels: LABELS },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: RELEASES.agent },
      subjects: [{ kind: 'ServiceAccount', name: AGENT_SERVICE_ACCOUNT, namespace: OBSERVABILITY_NAMESPACE }],
    },
    {
      apiVersion: 'opentelemetry.io/v1beta1',
      kind: 'OpenTelemetryCollector',
      metadata,
      spec: {
        mode: 'daemonset',
        image: `${image.repository}:${image.tag}`,
        imagePullPolicy: 'IfNotPresent',
        serviceAccount: AGENT_SERVICE_ACCOUNT,
        // Rolling one node at a time keeps every other node's agent up.
        daemonSetUpdateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
        env: agentEnv(),
        tolerations: AGENT_TOLERATIONS,
        priorityClassName: AGENT_PRIORITY_CLASS.metadata.name,
        ports: [
          ...AGENT_PORTS.map((p) => ({ ...p, protocol: 'TCP' })),
          { name: 'metrics', port: STACK.collector.metricsPort, protocol: 'TCP' },
        ],
        resources: AGENT_RESOURCES,
        podSecurityContext: AGENT_POD_SECURITY_CONTEXT,
        securityContext: AGENT_CONTAINER_SECURITY_CONTEXT,
        volumes: [AGENT_QUEUE.volume],
        volumeMounts: [AGENT_QUEUE.mount],
        livenessProbe: { initialDelaySeconds: 5, periodSeconds: 10 },
        readinessProbe: { initialDelaySeconds: 2, periodSeconds: 5 },
        config,
      },
    },
    {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PodMonitor',
      metadata: {
        name: RELEASES.agent,
        namespace: OBSERVABILITY_NAMESPACE,
        labels: { ...LABELS, ...PROMETHEUS_SELECTOR_LABELS },
      },
      spec: {
        // The operator names the DaemonSet's pods `<name>-collector` and labels them so.
        selector: { matchLabels: { 'app.kubernetes.io/name': `${RELEASES.agent}-collector` } },
        podMetricsEndpoints: [{ port: 'metrics', interval: '15s', relabelings: [jobRelabeling(JOBS.collector)] }],
      },
    },
  ];
}

export function operatorManifest(): string {
  return yamlDocuments(
    generatedHeader('collector/config.agent.yaml and kubernetes/src/operator-manifest.ts', [
      'The agent collector (one per node) for the OpenTelemetry Operator: kubectl apply -f this file after the operator',
      `(chart opentelemetry-operator) is installed. The ClusterRole grants exactly what k8s_attributes needs for this`,
      'config (kubernetes/src/rbac.ts): get/list/watch on pods. No namespaces, replicasets or nodes: every extracted',
      'attribute comes from the Pod object and its ownerReferences (k8s.deployment.name is derived from the ReplicaSet name).',
    ]),
    operatorResources(),
  );
}
