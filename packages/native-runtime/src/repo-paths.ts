/**
 * The one module that knows where the repository is and where its tools live: the root, the pinned Go tools in
 * .tools/bin, the Python tools in .tools/venv/bin, Debian's binaries, and the pinned versions of tools/versions.env.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (packages/native-runtime/dist/../../..). */
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
  telemetrygen: 'bash tools/build-go-tools.sh telemetrygen',
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

/** Path of a Python tool in .tools/venv/bin (tools/install-python-tools.sh); not checked, callers say what is missing. */
export function pythonToolPath(name: string): string {
  return join(REPO_ROOT, '.tools', 'venv', 'bin', name);
}

/** A system binary installed from Debian, or an error that says how to install it. */
export function systemBinary(name: string): string {
  for (const dir of ['/usr/bin', '/usr/local/bin', '/usr/sbin']) {
    if (existsSync(join(dir, name))) return join(dir, name);
  }
  throw new Error(`${name} is not installed: run \`bash tools/install-system.sh\``);
}

/** `KEY=value` lines of tools/versions.env, where every pinned version lives. */
export function readToolVersions(): Record<string, string> {
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
