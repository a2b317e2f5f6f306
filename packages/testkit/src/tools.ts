import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (packages/testkit/dist/../../..): the pinned tools live in its .tools/bin. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

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
  'es-index-cleaner': 'bash tools/build-go-tools.sh jaeger',
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

/** The `KEY=value` lines of tools/versions.env, the one place for the pinned versions. */
export function toolVersions(): Record<string, string> {
  const text = readFileSync(join(REPO_ROOT, 'tools', 'versions.env'), 'utf8');
  return Object.fromEntries(
    text
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#') && line.includes('='))
      .map((line) => {
        const eq = line.indexOf('=');
        return [line.slice(0, eq), line.slice(eq + 1).replace(/^["']|["']$/g, '')];
      }),
  );
}

/** One pinned version of tools/versions.env, or an error naming the missing key. */
export function toolVersion(key: string): string {
  const value = toolVersions()[key];
  if (value === undefined || value === '') throw new Error(`tools/versions.env has no ${key}`);
  return value;
}
