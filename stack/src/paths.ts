import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (stack/dist/.. /..). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export const CONFIG = {
  collector: join(REPO_ROOT, 'collector', 'config.local.yaml'),
  /** The Kubernetes agent (DaemonSet) collector config, embedded by the generated manifests and Helm values. */
  collectorAgent: join(REPO_ROOT, 'collector', 'config.agent.yaml'),
  jaeger: join(REPO_ROOT, 'stack', 'config', 'jaeger', 'config.yaml'),
  prometheus: join(REPO_ROOT, 'stack', 'config', 'prometheus', 'prometheus.yml'),
  /** Alertmanager's config for compose (generated from alertmanager-config.ts; the native stack writes its own). */
  alertmanager: join(REPO_ROOT, 'stack', 'config', 'alertmanager', 'alertmanager.yml'),
  composeTargets: join(REPO_ROOT, 'stack', 'config', 'prometheus', 'targets', 'compose'),
  prometheusRules: join(REPO_ROOT, 'dashboards', 'generated', 'prometheus'),
  grafanaDatasources: join(REPO_ROOT, 'stack', 'config', 'grafana', 'provisioning', 'datasources', 'datasources.yaml'),
  demoMain: join(REPO_ROOT, 'demo', 'dist', 'main.js'),
} as const;

/** Path of a pinned tool in .tools/bin (defined in testkit, which starts Prometheus from there too). */
export { toolBinary } from '@otelkit/testkit';

/** A system binary installed from Debian, or an error that says how to install it. */
export function systemBinary(name: string): string {
  for (const dir of ['/usr/bin', '/usr/local/bin', '/usr/sbin']) {
    if (existsSync(join(dir, name))) return join(dir, name);
  }
  throw new Error(`${name} is not installed: run \`bash tools/install-system.sh\``);
}
