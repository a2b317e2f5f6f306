/**
 * helm-values/opentelemetry-collector.yaml: the agent as the opentelemetry-collector chart's DaemonSet, with
 * collector/config.agent.yaml embedded as `alternateConfig` (used as is: `config` would be merged with the chart's
 * defaults, which add jaeger/zipkin/prometheus receivers and logs/metrics pipelines that cannot be removed
 * reliably). Every preset is off: the chart's kubernetesAttributes preset would add its own k8s_attributes and a
 * broader ClusterRole; ours is computed from the config (kubernetes/src/rbac.ts).
 */
import { JOBS, STACK } from '@otelkit/stack-topology';
import { readAgentConfig } from '../agent-config.js';
import {
  AGENT_CONTAINER_SECURITY_CONTEXT,
  AGENT_PRIORITY_CLASS,
  AGENT_TOLERATIONS,
  AGENT_POD_SECURITY_CONTEXT,
  AGENT_PORTS,
  AGENT_QUEUE,
  AGENT_RESOURCES,
  AGENT_SERVICE_ACCOUNT,
  agentEnv,
  agentImage,
} from '../agent-pod.js';
import { jobRelabeling, PROMETHEUS_SELECTOR_LABELS } from '../cluster.js';
import { requiredRbacRules } from '../rbac.js';

/** The chart's default ports we switch off: our config has no jaeger or zipkin receiver. */
const UNUSED_DEFAULT_PORTS = ['jaeger-compact', 'jaeger-thrift', 'jaeger-grpc', 'zipkin'] as const;

export function collectorChartValues(): Record<string, unknown> {
  const { config } = readAgentConfig();
  const [grpc, http] = AGENT_PORTS;
  return {
    mode: 'daemonset',
    image: { ...agentImage(), pullPolicy: 'IfNotPresent' },
    presets: {
      logsCollection: { enabled: false },
      hostMetrics: { enabled: false },
      kubernetesAttributes: { enabled: false },
    },
    alternateConfig: config,
    // the name collector/kubernetes/gateway.yaml's RoleBinding grants the gateway resolver's rights to
    serviceAccount: { create: true, name: AGENT_SERVICE_ACCOUNT },
    clusterRole: { create: true, rules: requiredRbacRules(config.processors.k8s_attributes) },
    extraEnvs: agentEnv(),
    extraVolumes: [AGENT_QUEUE.volume],
    extraVolumeMounts: [AGENT_QUEUE.mount],
    ports: {
      otlp: {
        enabled: true,
        containerPort: grpc.port,
        servicePort: grpc.port,
        hostPort: grpc.hostPort,
        protocol: 'TCP',
        appProtocol: grpc.appProtocol,
      },
      'otlp-http': {
        enabled: true,
        containerPort: http.port,
        servicePort: http.port,
        hostPort: http.hostPort,
        protocol: 'TCP',
      },
      ...Object.fromEntries(UNUSED_DEFAULT_PORTS.map((name) => [name, { enabled: false }])),
      metrics: {
        enabled: true,
        containerPort: STACK.collector.metricsPort,
        servicePort: STACK.collector.metricsPort,
        protocol: 'TCP',
      },
    },
    tolerations: AGENT_TOLERATIONS,
    priorityClassName: AGENT_PRIORITY_CLASS.metadata.name,
    // the PriorityClass is cluster-scoped: created with the release
    extraManifests: [AGENT_PRIORITY_CLASS],
    hostNetwork: false,
    podSecurityContext: AGENT_POD_SECURITY_CONTEXT,
    securityContext: AGENT_CONTAINER_SECURITY_CONTEXT,
    resources: AGENT_RESOURCES,
    // GOMEMLIMIT comes from agentEnv(), derived from the same limit (the chart's own would be a second derivation)
    useGOMEMLIMIT: false,
    livenessProbe: { httpGet: { port: STACK.collector.healthPort, path: '/' } },
    readinessProbe: { httpGet: { port: STACK.collector.healthPort, path: '/' } },
    podMonitor: {
      enabled: true,
      metricsEndpoints: [{ port: 'metrics', interval: '15s', relabelings: [jobRelabeling(JOBS.collector)] }],
      extraLabels: PROMETHEUS_SELECTOR_LABELS,
    },
  };
}
