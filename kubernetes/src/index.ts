export { type AgentConfig, type K8sAttributesConfig, nodeNameVariable, readAgentConfig } from './agent-config.js';
export {
  AGENT_PORTS,
  AGENT_QUEUE,
  AGENT_PRIORITY_CLASS,
  AGENT_RESOURCES,
  AGENT_SERVICE_ACCOUNT,
  AGENT_TOLERATIONS,
  agentEnv,
  agentGoMemLimit,
  agentImage,
  mebibytes,
} from './agent-pod.js';
export {
  CHARTS,
  CLUSTER_NAME,
  type ChartId,
  DEMO_NAMESPACE,
  GRAFANA_DASHBOARD_LABEL,
  OBSERVABILITY_NAMESPACE,
  PROMETHEUS_SELECTOR_LABELS,
  RELEASES,
  SERVICES,
} from './cluster.js';
export {
  DEMO_POSTGRES,
  K6_POD_LABELS,
  k6ScriptFiles,
  POSTGRES_CLIENT_LABEL,
  POSTGRES_EXPORTER_LABEL,
} from './demo-chart.js';
export { generatedFiles, HELM_VALUES, helmValuesPath, type ValuesChartId, valuesChart } from './generate.js';
export {
  ALERT_RECEIVERS_SECRET,
  ALERTMANAGER_SECRETS_MOUNT,
  GRAFANA_ADMIN_SECRET,
} from './helm-values/kube-prometheus-stack.js';
export { jaegerConfig, OPENSEARCH_URL, openSearchBackend } from './helm-values/jaeger.js';
export { OPENSEARCH_HTTP_PORT, OPENSEARCH_SECRETS } from './helm-values/opensearch.js';
export {
  GATEWAY_REPLICAS,
  GATEWAY_RESOLVER_RULES,
  GATEWAY_SERVICE,
  gatewayManifest,
  gatewayResources,
} from './gateway-manifest.js';
export { operatorResources } from './operator-manifest.js';
export { K8S_FILES } from './paths.js';
export { INFORMER_VERBS, type PolicyRule, requiredRbacRules } from './rbac.js';
export { CustomResourceValidator, strictSchema } from './custom-resources.js';
export { isCustomResource, type K8sObject, parseManifests, readManifests } from './manifests.js';
export {
  CHART_SOURCE_ENV,
  chartDir,
  chartReference,
  chartSource,
  coalesce,
  crdFiles,
  DOCUMENTED_IN_COMMENTS,
} from './upstream-charts.js';
export { type ChartReference, type JsonSchema, undeclaredValuePaths } from './values-keys.js';
export { DEMO_GATEWAY, GRAFANA_HOST, grafanaRoute } from './edge-routes.js';
export { connectionAllowed, type NetworkPolicy, type PolicyPod } from './network-policy.js';
export {
  ADAPTER_RATE_WINDOW,
  type AdapterRule,
  adapterRules,
  CUSTOM_METRICS,
  expandAdapterQuery,
} from './helm-values/prometheus-adapter.js';
export { crdWithoutTemplates } from './apiserver/crd-template.js';
export { sendSpansFromAddress, type SpansFromAddress } from './apiserver/otlp-from-address.js';
export {
  type KubeObject,
  kubeObjects,
  type ManifestSource,
  renderChart,
  shippedManifests,
} from './apiserver/shipped-manifests.js';
export { createWorkload, downwardApiEnv, type WorkloadPod, type WorkloadSpec } from './apiserver/workload.js';
