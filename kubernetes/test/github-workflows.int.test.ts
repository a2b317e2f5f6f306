// The GitHub workflows (.github/workflows) cannot run here; what can be checked is: actionlint (the pinned build,
// with shellcheck on every `run:` script) accepts them and rejects a broken one, every third-party action is pinned
// by commit, every script, file and npm script a step uses exists, the deploy is `helm upgrade --install --atomic`
// with credentials from secrets, and the release publishes exactly the public workspaces with provenance.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from '@otelkit/native-runtime';
import { runTool, scratchDir } from './helpers.js';

const WORKFLOWS = join(REPO_ROOT, '.github', 'workflows');
const files = readdirSync(WORKFLOWS).filter((name) => /\.ya?ml$/.test(name));

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Workflow {
  jobs: Record<string, { steps: Step[]; permissions?: Record<string, string>; needs?: string[] }>;
}
const workflows = Object.fromEntries(
  files.map((name) => [name, parse(readFileSync(join(WORKFLOWS, name), 'utf8')) as Workflow]),
);
const steps = Object.entries(workflows).flatMap(([file, w]) =>
  Object.entries(w.jobs).flatMap(([job, j]) => j.steps.map((step) => ({ where: `${file} ${job}`, step }))),
);
const runs = steps.filter((s) => s.step.run !== undefined).map((s) => ({ where: s.where, run: s.step.run! }));

/** The npm scripts of the root package and of every workspace, by workspace folder ('' for the root). */
function npmScripts(workspace = ''): Record<string, string> {
  return (
    (
      JSON.parse(readFileSync(join(REPO_ROOT, workspace, 'package.json'), 'utf8')) as {
        scripts?: Record<string, string>;
      }
    ).scripts ?? {}
  );
}

/**
 * What a run script calls that must exist in the repository: `bash|sh|node <file>`, `./<file>`, `.tools/bin/<tool>`
 * (built by tools/build-go-tools.sh), `-f <values file>`, a chart folder after `helm lint|template|upgrade`, and
 * `npm run <script>` / `npm test` in the root package (or `--workspace <dir>`).
 */
export function referencedPaths(script: string): { files: string[]; npm: string[]; tools: string[] } {
  const text = script.replace(/\\\n/g, ' ');
  const files = new Set<string>();
  for (const [, path] of text.matchAll(/\b(?:bash|sh|node)\s+((?:\.\/)?[\w./-]+\.(?:sh|mjs|js|cjs)|\.ci\/run)\b/g))
    files.add(path!.replace(/^\.\//, ''));
  for (const [, path] of text.matchAll(/(?:^|\s)\.\/([\w./-]+)/g)) files.add(path!);
  for (const [, path] of text.matchAll(/\s-f\s+([\w./-]+\.ya?ml)/g)) files.add(path!);
  for (const [, path] of text.matchAll(
    /helm\s+(?:lint(?:\s+--strict)?|template\s+[\w-]+|upgrade\s+(?:--[\w-]+\s+)*(?:\d+m\s+)?[\w-]+)\s+([\w./-]+\/chart)\b/g,
  ))
    files.add(path!);
  const npm = [...text.matchAll(/\bnpm\s+(?:run\s+([\w:-]+)|(test)\b)/g)].map((m) => m[1] ?? m[2]!);
  const tools = [...text.matchAll(/\.tools\/bin\/([\w-]+)/g)].map((m) => m[1]!);
  return { files: [...files], npm, tools };
}

describe('.github/workflows', () => {
  it('has the CI/CD and release workflows', () => {
    expect(files.sort()).toEqual(['ci.yml', 'release.yml']);
  });

  it('passes actionlint (shellcheck on every run: script)', () => {
    const shellcheck = spawnSync('shellcheck', ['--version']);
    expect(shellcheck.error, 'shellcheck: run tools/install-system.sh').toBeUndefined();
    const run = runTool('actionlint', ['-no-color'], {});
    expect(run.status, run.stdout + run.stderr).toBe(0);
  });

  it('actionlint fails a broken workflow (the check can fail)', () => {
    const { dir, cleanup } = scratchDir('actionlint');
    try {
      const broken = readFileSync(join(WORKFLOWS, 'ci.yml'), 'utf8')
        .replace('runs-on: ubuntu-24.04', 'runs_on: ubuntu-24.04')
        .replace('run: bash .ci/run', 'run: echo ${{ github.event.pull_request.title }} $undefined_quoted');
      const file = join(dir, 'ci.yml');
      writeFileSync(file, broken);
      const run = runTool('actionlint', ['-no-color', file]);
      expect(run.status).not.toBe(0);
      expect(run.stdout).toMatch(/runs_on|runs-on/);
      expect(run.stdout).toMatch(/github\.event\.pull_request\.title.*untrusted|untrusted/);
    } finally {
      cleanup();
    }
  });

  it('pins every third-party action by a full commit sha, with its tag in a comment', () => {
    const lines = files.flatMap((name) =>
      readFileSync(join(WORKFLOWS, name), 'utf8')
        .split('\n')
        .filter((line) => /^\s*(-\s+)?uses:/.test(line))
        .map((line) => ({ name, line: line.trim() })),
    );
    expect(lines.length).toBeGreaterThan(5);
    for (const { name, line } of lines) {
      if (/uses:\s+\.\//.test(line)) continue;
      expect(line, name).toMatch(/uses:\s+[\w.-]+\/[\w./-]+@[0-9a-f]{40}\s+#\s+v\d+(\.\d+)*$/);
    }
  });

  it('calls only scripts, files, tools and npm scripts that exist', () => {
    expect(runs.length).toBeGreaterThan(5);
    const buildable = readFileSync(join(REPO_ROOT, 'tools', 'build-go-tools.sh'), 'utf8');
    for (const { where, run } of runs) {
      const { files: paths, npm, tools } = referencedPaths(run);
      for (const path of paths) expect(existsSync(join(REPO_ROOT, path)), `${where}: ${path}`).toBe(true);
      for (const script of npm) expect(npmScripts(), `${where}: npm run ${script}`).toHaveProperty(script);
      for (const tool of tools) expect(buildable, `${where}: .tools/bin/${tool}`).toContain(`-> .tools/bin/${tool}`);
      for (const [, workspace] of run.matchAll(/--workspace\s+([\w./-]+)/g))
        expect(existsSync(join(REPO_ROOT, workspace!, 'package.json')), `${where}: ${workspace}`).toBe(true);
    }
    // and what the actions read: Dockerfiles and build contexts
    for (const { where, step } of steps) {
      for (const key of ['file', 'context']) {
        const value = step.with?.[key];
        if (typeof value === 'string') expect(existsSync(join(REPO_ROOT, value)), `${where}: ${value}`).toBe(true);
      }
    }
  });

  it('finds what a script calls (the check of the previous test can fail)', () => {
    expect(
      referencedPaths(
        'bash tools/missing.sh && node .ci/x.mjs && npm run nope && npm test && .tools/bin/helm lint --strict demo/chart -f x/v.yaml',
      ),
    ).toEqual({
      files: ['tools/missing.sh', '.ci/x.mjs', 'x/v.yaml', 'demo/chart'],
      npm: ['nope', 'test'],
      tools: ['helm'],
    });
    expect(existsSync(join(REPO_ROOT, 'tools/missing.sh'))).toBe(false);
    expect(npmScripts()).not.toHaveProperty('nope');
  });

  it('tests with what CI runs (.ci/run: the README test command, e2e, faults) before images, deploy and release', () => {
    const ci = workflows['ci.yml']!;
    expect(ci.jobs.test!.steps.map((s) => s.run).filter(Boolean)).toEqual(['bash .ci/run']);
    expect(readFileSync(join(REPO_ROOT, '.ci', 'run'), 'utf8')).toMatch(/\nnpm test\b/);
    expect(ci.jobs.images!.needs).toEqual(['test', 'chart']);
    expect(ci.jobs.deploy!.needs).toEqual(['images']);
    const release = workflows['release.yml']!;
    expect(release.jobs.test!.steps.map((s) => s.run).filter(Boolean)).toEqual(['bash .ci/run']);
    expect(release.jobs.publish!.needs).toEqual(['test']);
  });

  it('builds both images with provenance and an SBOM, and scans them', () => {
    const builds = workflows['ci.yml']!.jobs.images!.steps.filter((s) =>
      s.uses?.startsWith('docker/build-push-action'),
    );
    expect(builds.map((s) => s.with?.file)).toEqual(['demo/Dockerfile', 'collector/Dockerfile']);
    for (const build of builds) expect(build.with).toMatchObject({ provenance: 'mode=max', sbom: true, push: true });
    const scans = workflows['ci.yml']!.jobs.images!.steps.filter((s) =>
      s.uses?.startsWith('aquasecurity/trivy-action'),
    );
    expect(scans).toHaveLength(2);
    for (const scan of scans) expect(scan.with).toMatchObject({ 'exit-code': '1' });
  });

  it('deploys with helm upgrade --install --atomic, credentials from secrets only', () => {
    const deploy = workflows['ci.yml']!.jobs.deploy!;
    const script = deploy.steps.map((s) => s.run ?? '').join('\n');
    expect(script).toMatch(/helm upgrade --install --atomic/);
    const credentials = deploy.steps.find((s) => s.env?.KUBECONFIG_B64 !== undefined)!;
    expect(credentials.env!.KUBECONFIG_B64).toBe('${{ secrets.KUBECONFIG_B64 }}');
    // secrets and expressions reach scripts through env, never spliced into the script text
    for (const { where, run } of runs) expect(run, where).not.toMatch(/\$\{\{/);
  });

  it('publishes exactly the public workspaces, with npm provenance', () => {
    const root = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { workspaces: string[] };
    const folders = root.workspaces.flatMap((pattern) =>
      pattern.endsWith('/*')
        ? readdirSync(join(REPO_ROOT, pattern.slice(0, -2))).map((name) => `${pattern.slice(0, -2)}/${name}`)
        : [pattern],
    );
    const publics = folders
      .filter((dir) => existsSync(join(REPO_ROOT, dir, 'package.json')))
      .filter(
        (dir) =>
          !(JSON.parse(readFileSync(join(REPO_ROOT, dir, 'package.json'), 'utf8')) as { private?: boolean }).private,
      )
      .sort();
    const publish = workflows['release.yml']!.jobs.publish!;
    const command = publish.steps.map((s) => s.run ?? '').find((r) => r.includes('npm publish'))!;
    expect(command).toMatch(/--provenance/);
    expect([...command.matchAll(/--workspace\s+([\w./-]+)/g)].map((m) => m[1]).sort()).toEqual(publics);
    expect(Object.entries(publish.permissions ?? {})).toContainEqual(['id-token', 'write']);
  });
});
