export {
  ALERT_GROUP_BY,
  ALERT_INHIBIT_EQUAL,
  ALERT_RECEIVERS,
  type AlertReceiver,
  alertmanagerConfig,
  COMPOSE_ALERT_SECRETS_DIR,
  composeAlertmanagerConfig,
  DEFAULT_ROUTE_TIMING,
  type RouteTiming,
} from './alertmanager-config.js';
export {
  type AlertmanagerOptions,
  alertmanager,
  collectorEnv,
  demo,
  demoEnv,
  type DemoProcessOptions,
  generatedRuleFiles,
  type JaegerStorage,
  jaeger,
  runDemoCommand,
  type StackContext,
  startPostgres,
  startPrometheus,
} from './components.js';
export { composeEnv } from './compose-env.js';
export { COLLECTOR_PORT_VARS, envDefaults, JAEGER_PORT_VARS, portEnv } from './config-env.js';
export {
  gatewayConfig,
  gatewayConfigYaml,
  type GatewaySampling,
  gatewaySampling,
  QUEUE_STORAGE,
  queueStorageExtension,
} from './gateway-config.js';
export {
  agentGatewayExporter,
  type CollectorPorts,
  freeCollectorPorts,
  type GatewayDiscovery,
  gatewayProcess,
  localAgentConfig,
  localAgentProcess,
  type TierCollectorOptions,
  writeGatewayHosts,
  writeLocalAgentConfig,
} from './gateway-tier.js';
export { generatedFiles } from './generate.js';
export { grafanaDatasources } from './grafana-datasources.js';
export { IMAGES } from './images.js';
export { K6_REMOTE_WRITE_ENV, type K6Run, runK6 } from './k6.js';
export { NativeStack, type NativeStackOptions } from './native-stack.js';
export { CONFIG } from './paths.js';
export { defaultPorts, freeStackPorts, type StackPorts } from './ports.js';
export { composeTargets, nativeTargets, targetFiles } from './prometheus-targets.js';
export {
  dailyIndex,
  indexCleanerArgs,
  OPENSEARCH_TRACE_STORE,
  type OpenSearchStorageOptions,
  openSearchStorage,
} from './trace-store.js';
export { stackUrls } from './urls.js';
