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
export { composeEnv } from './compose-env.js';
export { COLLECTOR_PORT_VARS, envDefaults, JAEGER_PORT_VARS, portEnv } from './config-env.js';
export { generatedFiles } from './generate.js';
export { grafanaDatasources } from './grafana-datasources.js';
export { IMAGES } from './images.js';
export { type K6Run, runK6 } from './k6.js';
export { NativeStack, type NativeStackOptions } from './native-stack.js';
export { CONFIG } from './paths.js';
export { defaultPorts, freeStackPorts, type StackPorts } from './ports.js';
export { composeTargets, nativeTargets, targetFiles } from './prometheus-targets.js';
export { stackUrls } from './urls.js';
