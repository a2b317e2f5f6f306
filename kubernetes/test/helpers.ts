import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import {
  DEMO_NAMESPACE,
  helmValuesPath,
  K8S_FILES,
  type K8sObject,
  parseManifests,
  RELEASES,
  type ValuesChartId,
} from '../src/index.js';
import { type ControlPlane, pythonToolPath, toolBinary, waitUntil } from '@otelkit/native-runtime';

/** A shipped values file, parsed. */
export function readValues(id: ValuesChartId): unknown {
  return parse(readFileSync(helmValuesPath(id), 'utf8'));
}

/** Helm's coalescing of user values over chart defaults (kubernetes/src/upstream-charts.ts). */
export { coalesce } from '../src/index.js';

/** The Kubernetes version the manifests target (the one the real-apiserver tests run: tools/k8s). */
export const KUBE_VERSION = '1.34.0';

/** A scratch directory removed by the returned cleanup. */
export function scratchDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `otelkit-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

type PinnedTool = 'helm' | 'otelcol-otelkit' | 'jaeger' | 'checkov' | 'kubernetes-validate' | 'actionlint';
const toolPath = (tool: PinnedTool) =>
  tool === 'checkov' || tool === 'kubernetes-validate' ? pythonToolPath(tool) : toolBinary(tool);

/** Runs a pinned tool; returns its exit status and output instead of throwing, so tests can assert on both. */
export function runTool(tool: PinnedTool, args: string[], env: NodeJS.ProcessEnv = {}): ToolRun {
  const path = toolPath(tool);
  if (!existsSync(path))
    throw new Error(`${tool} is missing at ${path}: run npm test (its pretest installs the tools)`);
  const result = spawnSync(path, args, {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}
export interface ToolRun {
  status: number;
  stdout: string;
  stderr: string;
}

/** `helm template` of the demo chart (release otelkit-demo in its namespace), parsed. */
export function renderDemoChart(
  set: string[] = [],
  valuesFiles: string[] = [],
): { text: string; objects: K8sObject[] } {
  const run = runTool('helm', [
    'template',
    RELEASES.demo,
    K8S_FILES.demoChart,
    '--namespace',
    DEMO_NAMESPACE,
    '--kube-version',
    KUBE_VERSION,
    ...valuesFiles.flatMap((file) => ['-f', file]),
    ...set.flatMap((s) => ['--set', s]),
  ]);
  if (run.status !== 0) throw new Error(`helm template failed: ${run.stderr}`);
  return { text: run.stdout, objects: parseManifests(run.stdout, 'helm template demo/chart') };
}

/** kubernetes-validate (strict: unknown fields fail) on objects of built-in kinds. */
export function kubernetesValidate(objects: readonly K8sObject[]): ToolRun {
  const { dir, cleanup } = scratchDir('kv');
  try {
    const file = join(dir, 'objects.yaml');
    writeFileSync(file, objects.map((o) => stringify(o)).join('---\n'));
    return runTool('kubernetes-validate', ['--kubernetes-version', KUBE_VERSION, '--strict', '--quiet', file]);
  } finally {
    cleanup();
  }
}

/** Manifest files we ship outside Helm templates: the agent's, Grafana's route, and the dashboards' once generated. */
export function shippedManifestFiles(): string[] {
  const dashboards = existsSync(K8S_FILES.dashboardsManifests)
    ? readdirSync(K8S_FILES.dashboardsManifests)
        .filter((name) => /\.ya?ml$/.test(name))
        .map((name) => join(K8S_FILES.dashboardsManifests, name))
    : [];
  return [K8S_FILES.operatorManifest, join(K8S_FILES.helmValues, 'grafana-route.yaml'), ...dashboards];
}

/**
 * Applies CRDs (their YAML texts) to a test kube-apiserver and waits until all are established (kubectl wait fails
 * outright while a new CRD has no status yet: it is polled).
 */
export async function installCrds(plane: ControlPlane, texts: readonly string[]): Promise<void> {
  for (const input of texts) await plane.kubectl(['apply', '--server-side', '-f', '-'], { input });
  await waitUntil(
    () =>
      plane.kubectl(['wait', '--for=condition=Established', 'crd', '--all', '--timeout=10s']).then(
        () => true,
        () => false,
      ),
    { what: 'the CRDs to be established', timeoutMs: 120_000, intervalMs: 1_000 },
  );
}
