export { type CommandLineSpec, log, parseCommandLine, stopOnSignals } from './cli-support.js';
export { track } from './children.js';
export {
  CONTROL_PLANE_ADMIN,
  ControlPlane,
  type ControlPlaneBinaries,
  type ControlPlaneOptions,
  startControlPlane,
} from './control-plane.js';
export { ManagedProcess, type ManagedProcessOptions } from './managed-process.js';
export { OpenSearchInstance, type OpenSearchOptions } from './opensearch.js';
export { freePort } from './ports.js';
export { PostgresInstance, postgresBinDir } from './postgres.js';
export { PrometheusInstance, type PrometheusOptions, scrapeConfig } from './prometheus.js';
export { pythonToolPath, readToolVersions, REPO_ROOT, systemBinary, toolBinary } from './repo-paths.js';
export { waitUntil } from './wait.js';
