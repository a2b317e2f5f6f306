import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (packages/testkit/dist/../../..): the pinned tools live in its .tools/bin. */
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** What builds each pinned tool (tools/build-go-tools.sh, tools/k8s/build.sh). */
const TOOL_BUILD: Record<string, string> = {
  'otelcol-otelkit': 'bash tools/build-go-tools.sh collector',
  jaeger: 'bash tools/build-go-tools.sh jaeger',
  k6: 'bash tools/build-go-tools.sh k6',
  helm: 'bash tools/build-go-tools.sh helm',
  prometheus: 'bash tools/build-go-tools.sh prometheus',
  promtool: 'bash tools/build-go-tools.sh prometheus',
  alertmanager: 'bash tools/build-go-tools.sh alertmanager',
  amtool: 'bash tools/build-go-tools.sh alertmanager',
  etcd: 'bash tools/k8s/build.sh',
  'kube-apiserver': 'bash tools/k8s/build.sh',
  kubectl: 'bash tools/k8s/build.sh',
};

/** Path of a pinned tool in .tools/bin, or an error that says how to build it. */
export function toolBinary(name: string): string {
  const path = join(REPO_ROOT, '.tools', 'bin', name);
  if (!existsSync(path)) {
    throw new Error(`${name} is not built: run \`${TOOL_BUILD[name] ?? 'bash tools/build-go-tools.sh all'}\``);
  }
  return path;
}
