export {
  collectorEnv,
  demo,
  demoEnv,
  type DemoProcessOptions,
  jaeger,
  runDemoCommand,
  type StackContext,
  startPostgres,
  startPrometheus,
} from './components.js';
export { type CommandLineSpec, log, parseCommandLine, stopOnSignals } from './cli-support.js';
export { composeEnv } from './compose-env.js';
export { COLLECTOR_PORT_VARS, envDefaults, JAEGER_PORT_VARS, portEnv } from './config-env.js';
export { generatedFiles, readToolVersions } from './generate.js';
export { grafanaDatasources } from './grafana-datasources.js';
export { IMAGES } from './images.js';
export { type K6Run, runK6 } from './k6.js';
export { NativeStack, type NativeStackOptions } from './native-stack.js';
export { CONFIG, REPO_ROOT, systemBinary, toolBinary } from './paths.js';
export { defaultPorts, freeStackPorts, type StackPorts } from './ports.js';
export { composeTargets, nativeTargets, targetFiles } from './prometheus-targets.js';
export { syncGeneratedFiles } from './sync-generated.js';
export { stackUrls } from './urls.js';
export { startControlPlane } from './k8s/control-plane.js';
export { type KubeObject, kubeObjects, type ManifestSource, renderChart, shippedManifests } from './k8s/manifests.js';
export { sendSpansFromAddress, type SpansFromAddress } from './k8s/otlp-from-address.js';
export { crdWithoutTemplates } from './k8s/crd-template.js';
export { createWorkload, downwardApiEnv, type WorkloadPod, type WorkloadSpec } from './k8s/workload.js';
