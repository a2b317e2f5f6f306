import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT, toolBinary } from '@otelkit/native-runtime';

/** A Kubernetes object as read from YAML: only the fields the checks need are typed. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name?: string; namespace?: string; [key: string]: unknown };
  [key: string]: unknown;
}

/** One file (or rendered chart) of Kubernetes objects that the repository ships. */
export interface ManifestSource {
  /** Repository-relative path of the file, or of the chart folder (`demo/chart (helm template)`). */
  source: string;
  /** The YAML as shipped (or as `helm template` printed it): what `kubectl apply -f` would read. */
  text: string;
  objects: KubeObject[];
}

/** Folders never searched for shipped manifests: dependencies, builds, tool state, tests' own fixtures. */
const SKIPPED_DIRS = new Set(['node_modules', '.git', '.tools', '.stack', '.ci', 'dist', 'coverage', 'test', 'tests']);

const isKubeObject = (doc: unknown): doc is KubeObject => {
  const o = doc as Partial<KubeObject> | null;
  return (
    typeof o === 'object' &&
    o !== null &&
    typeof o.apiVersion === 'string' &&
    typeof o.kind === 'string' &&
    typeof o.metadata === 'object' &&
    o.metadata !== null
  );
};

/**
 * The Kubernetes objects of a multi-document YAML text (documents that are not objects are ignored). Duplicate keys
 * are read leniently (the last wins): judging them is left to kubectl and the API server, which see the text.
 */
export function kubeObjects(text: string, source: string): KubeObject[] {
  return parseAllDocuments(text, { uniqueKeys: false }).flatMap((doc) => {
    if (doc.errors.length > 0) throw new Error(`${source}: ${doc.errors[0]?.message ?? 'invalid YAML'}`);
    const value: unknown = doc.toJS();
    return isKubeObject(value) ? [value] : [];
  });
}

/**
 * Every Kubernetes manifest the repository ships, found by content rather than by a list, so new files are
 * covered as they appear: each YAML file with at least one document that has apiVersion, kind and metadata, and
 * each Helm chart (a folder with Chart.yaml) rendered with `helm template` and its default values. Upstream
 * reference data in `exclude` (vendored upstream charts) and test folders are skipped.
 */
export function shippedManifests(options: { root?: string; exclude?: string[] } = {}): ManifestSource[] {
  const root = options.root ?? REPO_ROOT;
  const exclude = new Set(options.exclude ?? []);
  const found: ManifestSource[] = [];
  const walk = (dir: string) => {
    if (exclude.has(dir)) return;
    if (existsSync(join(dir, 'Chart.yaml'))) {
      const text = helmTemplate(dir);
      found.push({ source: `${relative(root, dir)} (helm template)`, text, objects: kubeObjects(text, dir) });
      // and with each values file of its ci/ folder (the chart-testing convention): the switches that are off by default
      const ci = join(dir, 'ci');
      for (const file of existsSync(ci)
        ? readdirSync(ci)
            .filter((name) => /\.ya?ml$/.test(name))
            .sort()
        : []) {
        const rendered = helmTemplate(dir, undefined, [join(ci, file)]);
        found.push({
          source: `${relative(root, dir)} (helm template -f ci/${file})`,
          text: rendered,
          objects: kubeObjects(rendered, `${dir} -f ci/${file}`),
        });
      }
      return;
    }
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) walk(path);
      } else if (/\.ya?ml$/.test(entry.name)) {
        const text = readFileSync(path, 'utf8');
        const objects = kubeObjects(text, path);
        if (objects.length > 0) found.push({ source: relative(root, path), text, objects });
      }
    }
  };
  walk(root);
  return found;
}

/**
 * `helm template` of a local chart with its default values, or with values files (release name: the chart's parent
 * folder by default).
 */
function helmTemplate(dir: string, release = dir.split('/').at(-2) ?? 'release', valuesFiles: string[] = []): string {
  const args = ['template', release, dir, ...valuesFiles.flatMap((file) => ['-f', file])];
  return execFileSync(toolBinary('helm'), args, { encoding: 'utf8' });
}

/** The objects of a local chart rendered by `helm template`. */
export function renderChart(dir: string, release?: string): KubeObject[] {
  return kubeObjects(helmTemplate(dir, release), `helm template ${dir}`);
}
