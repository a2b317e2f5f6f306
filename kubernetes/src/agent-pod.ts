/**
 * How the agent collector's pods run, shared by the OpenTelemetryCollector resource and the opentelemetry-collector
 * chart values: environment, ports, security context and resources.
 */
import { STACK } from '@otelkit/stack-topology';
import { readToolVersions } from '@otelkit/native-runtime';
import { nodeNameVariable, readAgentConfig } from './agent-config.js';
import { CLUSTER_NAME, OBSERVABILITY_NAMESPACE, RELEASES } from './cluster.js';

/** Our collector distribution's image (collector/Dockerfile), tagged with the collector version it is built from. */
export function agentImage(): { repository: string; tag: string } {
  const version = readToolVersions().OTELCOL_VERSION;
  if (!version) throw new Error('tools/versions.env has no OTELCOL_VERSION');
  return { repository: 'otelkit/otelcol-otelkit', tag: version.replace(/^v/, '') };
}

/** Name of the agent's ServiceAccount (and of its ClusterRole and ClusterRoleBinding). */
export const AGENT_SERVICE_ACCOUNT = RELEASES.agent;

/** memory_limiter works in percentages of this limit (collector/config.agent.yaml); GOMEMLIMIT is derived from it. */
export const AGENT_RESOURCES = {
  requests: { cpu: '100m', memory: '128Mi' },
  limits: { cpu: '1', memory: '512Mi' },
} as const;

/** Mebibytes of a Kubernetes memory quantity in Mi or Gi (the units AGENT_RESOURCES uses). */
export function mebibytes(quantity: string): number {
  const match = /^(\d+)(Mi|Gi)$/.exec(quantity);
  if (!match) throw new Error(`expected a memory quantity in Mi or Gi, got ${quantity}`);
  return Number(match[1]) * (match[2] === 'Gi' ? 1024 : 1);
}

/** Go's soft memory limit: 80 % of the container's limit, the point where memory_limiter also forces a GC. */
export function agentGoMemLimit(): string {
  return `${Math.floor(mebibytes(AGENT_RESOURCES.limits.memory) * 0.8)}MiB`;
}

/**
 * Every node runs an agent, tainted or not (control-plane, GPU or spot nodes): their pods' spans would be lost
 * otherwise. NoExecute taints included, so an agent is not evicted from a node that is being drained of apps.
 */
export const AGENT_TOLERATIONS = [{ operator: 'Exists' }] as const;

/**
 * The agents' priority: above every app (the scheduler preempts an app pod to place an agent on a full node), below
 * the system-* classes of the kubelet's and cluster's own components.
 */
export const AGENT_PRIORITY_CLASS = {
  apiVersion: 'scheduling.k8s.io/v1',
  kind: 'PriorityClass',
  metadata: { name: 'otelkit-node-agent' },
  value: 1_000_000,
  globalDefault: false,
  preemptionPolicy: 'PreemptLowerPriority',
  description: "otelkit's agent collector, one per node: scheduled before apps, after the system-* classes.",
} as const;

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { fieldRef: { fieldPath: string } };
}

/** Environment of the agent container: the node name for k8s_attributes' filter, and where the gateways are. */
export function agentEnv(): EnvVar[] {
  return [
    {
      name: nodeNameVariable(readAgentConfig().config.processors.k8s_attributes),
      valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } },
    },
    // the Service whose EndpointSlices the load_balancing exporter's k8s resolver watches (collector/kubernetes/gateway.yaml)
    { name: 'OTELCOL_GATEWAY_SERVICE', value: `${RELEASES.gateway}.${OBSERVABILITY_NAMESPACE}` },
    { name: 'OTELCOL_QUEUE_DIR', value: AGENT_QUEUE.path },
    { name: 'GOMEMLIMIT', value: agentGoMemLimit() },
    { name: 'OTEL_RESOURCE_ATTRIBUTES', value: `k8s.cluster.name=${CLUSTER_NAME}` },
  ];
}

/**
 * The agent's sending queue on disk (file_storage): an emptyDir, so it survives a crash of the container (SIGKILL,
 * OOM kill: the kubelet restarts it in the same pod), not the pod's deletion; 100,000 spans take about 100 MiB.
 */
export const AGENT_QUEUE = {
  path: '/var/lib/otelcol/queue',
  volume: { name: 'queue', emptyDir: { sizeLimit: '512Mi' } },
  mount: { name: 'queue', mountPath: '/var/lib/otelcol/queue' },
} as const;

/**
 * The OTLP ports are published on the node with hostPort (not hostNetwork): the apps of a node send to
 * `status.hostIP:4317`, and only these two ports are bound on the node while the agent keeps its own network
 * namespace (hostNetwork would expose every port of the collector on the node and needs
 * `dnsPolicy: ClusterFirstWithHostNet`). hostPort forwarding may rewrite the source address (SNAT by some CNIs),
 * which is why pod association tries the k8s.pod.ip resource attribute first: @otelkit/node sets it from
 * OTELKIT_K8S_POD_IP (downward API), so the pod is found whatever the connection's source IP.
 */
export const AGENT_PORTS = [
  {
    name: 'otlp-grpc',
    port: STACK.collector.otlpGrpcPort,
    hostPort: STACK.collector.otlpGrpcPort,
    appProtocol: 'grpc',
  },
  {
    name: 'otlp-http',
    port: STACK.collector.otlpHttpPort,
    hostPort: STACK.collector.otlpHttpPort,
    appProtocol: 'http',
  },
] as const;

/** Non-root (the image's uid 10001), read-only root filesystem, no capabilities, default seccomp profile. */
export const AGENT_POD_SECURITY_CONTEXT = {
  runAsNonRoot: true,
  runAsUser: 10001,
  runAsGroup: 10001,
  seccompProfile: { type: 'RuntimeDefault' },
} as const;
export const AGENT_CONTAINER_SECURITY_CONTEXT = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  privileged: false,
  capabilities: { drop: ['ALL'] },
} as const;
