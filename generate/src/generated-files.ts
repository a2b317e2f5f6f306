/**
 * Every generated file of the repository, by path relative to its root, and the folders whose other files are
 * leftovers: the compose `.env`, Prometheus targets and Grafana datasources (stack), the collector's Kubernetes
 * manifest, the Helm values and the demo chart's k6 scripts (kubernetes), the dashboards and rules (dashboards).
 */
import { join, relative } from 'node:path';
import { buildAll, MIXIN_OUTPUT_DIRS, renderFiles } from '@otelkit/dashboards';
import { generatedFiles as kubernetesFiles } from '@otelkit/kubernetes';
import { REPO_ROOT } from '@otelkit/native-runtime';
import { CONFIG, generatedFiles as stackFiles } from '@otelkit/stack';

/** Where the reference stack's dashboards and rules are written (compose and the native stack read them there). */
const DASHBOARDS_OUT = join('dashboards', 'generated');

export interface GeneratedTree {
  /** Content by path relative to REPO_ROOT. */
  files: Record<string, string>;
  /** Folders (relative to REPO_ROOT) that hold only generated files: anything else in them is a leftover. */
  ownedDirs: string[];
}

export function generatedTree(): GeneratedTree {
  const files: Record<string, string> = {};
  for (const [path, content] of Object.entries({ ...stackFiles(), ...kubernetesFiles() })) {
    files[relative(REPO_ROOT, path)] = content;
  }
  for (const [path, content] of Object.entries(renderFiles(buildAll()))) files[join(DASHBOARDS_OUT, path)] = content;
  return {
    files,
    ownedDirs: [
      relative(REPO_ROOT, CONFIG.composeTargets),
      ...MIXIN_OUTPUT_DIRS.map((dir) => join(DASHBOARDS_OUT, dir)),
    ],
  };
}
