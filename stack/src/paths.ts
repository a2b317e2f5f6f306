import { join } from 'node:path';
import { REPO_ROOT } from '@otelkit/native-runtime';

/** The stack's config files, by what they configure. */
export const CONFIG = {
  collector: join(REPO_ROOT, 'collector', 'config.local.yaml'),
  /** The Kubernetes agent (DaemonSet) collector config, embedded by the generated manifests and Helm values. */
  collectorAgent: join(REPO_ROOT, 'collector', 'config.agent.yaml'),
  /** The gateway tier's collector config (tail sampling), generated from stack/src/gateway-config.ts. */
  collectorGateway: join(REPO_ROOT, 'collector', 'config.gateway.yaml'),
  jaeger: join(REPO_ROOT, 'stack', 'config', 'jaeger', 'config.yaml'),
  prometheus: join(REPO_ROOT, 'stack', 'config', 'prometheus', 'prometheus.yml'),
  /** Alertmanager's config for compose (generated from alertmanager-config.ts; the native stack writes its own). */
  alertmanager: join(REPO_ROOT, 'stack', 'config', 'alertmanager', 'alertmanager.yml'),
  composeTargets: join(REPO_ROOT, 'stack', 'config', 'prometheus', 'targets', 'compose'),
  prometheusRules: join(REPO_ROOT, 'dashboards', 'generated', 'prometheus'),
  grafanaDatasources: join(REPO_ROOT, 'stack', 'config', 'grafana', 'provisioning', 'datasources', 'datasources.yaml'),
  demoMain: join(REPO_ROOT, 'demo', 'dist', 'main.js'),
} as const;
