/**
 * Docker cannot run here: these checks keep demo/Dockerfile and /.dockerignore consistent with the repository
 * (workspaces, @otelkit/stack-topology names and ports) and with the hardening rules (pinned image, non-root user,
 * health check). checkov scans the same file in CI.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '@otelkit/native-runtime';
import { STACK } from '@otelkit/stack-topology';
import { describe, expect, it } from 'vitest';

const ROOT = REPO_ROOT;
const dockerfile = readFileSync(join(ROOT, 'demo', 'Dockerfile'), 'utf8');
const dockerignore = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));

/** Instructions as [KEYWORD, arguments], continuation lines joined, comments dropped. */
const instructions = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'))
  .map((l) => {
    const [keyword = '', ...rest] = l.split(/\s+/);
    return [keyword.toUpperCase(), rest.join(' ')] as const;
  });

/** The instructions of each stage, by name. */
const stages = new Map<string, Array<readonly [string, string]>>();
let current = '';
for (const instruction of instructions) {
  if (instruction[0] === 'FROM') {
    current = instruction[1].split(/\s+AS\s+/i)[1] ?? '';
    stages.set(current, []);
  }
  stages.get(current)?.push(instruction);
}
const runtime = [...stages.values()].at(-1) ?? [];
const last = (stage: typeof runtime, keyword: string) => stage.filter(([k]) => k === keyword).at(-1)?.[1];

/** Sources of COPY instructions that read the build context (not --from another stage). */
const contextSources = instructions
  .filter(([k, args]) => k === 'COPY' && !args.includes('--from='))
  .flatMap(([, args]) =>
    args
      .split(/\s+/)
      .filter((a) => !a.startsWith('--'))
      .slice(0, -1),
  );

const workspaces = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).workspaces as string[]).flatMap((w) =>
  w.endsWith('/*')
    ? readdirSync(join(ROOT, w.slice(0, -2)), { withFileTypes: true })
        .filter((d) => d.isDirectory() && existsSync(join(ROOT, w.slice(0, -2), d.name, 'package.json')))
        .map((d) => `${w.slice(0, -2)}/${d.name}`)
    : [w],
);

describe('demo/Dockerfile', () => {
  it('builds every stage from one image pinned by version tag, on the Node.js major we run', () => {
    const images = instructions.filter(([k]) => k === 'FROM').map(([, a]) => a.split(/\s+/)[0]);
    expect(images.length).toBeGreaterThanOrEqual(2);
    expect(new Set(images).size).toBe(1);
    const image = images[0] ?? '';
    expect(image).toMatch(/^node:\d+\.\d+\.\d+-[a-z]+-slim$/);
    expect(image.split(':')[1]?.split('.')[0]).toBe(process.versions.node.split('.')[0]);
  });

  it('runs as a non-root user, in production mode, with a health check that needs no curl', () => {
    const user = last(runtime, 'USER') ?? '';
    expect(user).toMatch(/^[1-9]\d*(:\d+)?$/);
    const env = runtime
      .filter(([k]) => k === 'ENV')
      .map(([, a]) => a)
      .join(' ');
    expect(env).toContain('NODE_ENV=production');
    expect(env).toContain(`OTEL_SERVICE_NAME=${STACK.demo.service}`);
    expect(last(runtime, 'HEALTHCHECK')).toMatch(/CMD \["node", "dist\/healthcheck\.js"\]$/);
    expect(existsSync(join(ROOT, 'demo', 'src', 'healthcheck.ts'))).toBe(true);
  });

  it('starts the demo under the otelkit register hook and exposes the stack ports', () => {
    expect(JSON.parse(last(runtime, 'ENTRYPOINT') ?? '[]')).toEqual([
      'node',
      '--import',
      '@otelkit/node/register',
      'dist/main.js',
    ]);
    expect(JSON.parse(last(runtime, 'CMD') ?? '[]')).toEqual(['serve']);
    expect(last(runtime, 'EXPOSE')?.split(/\s+/).map(Number).sort()).toEqual(
      [STACK.demo.port, STACK.demo.metricsPort].sort(),
    );
  });

  it('copies the package.json of every workspace before each npm ci (the lockfile must match them)', () => {
    for (const [name, stage] of stages) {
      if (!stage.some(([k, a]) => k === 'RUN' && a.includes('npm ci'))) continue;
      const copied = stage.filter(([k]) => k === 'COPY').map(([, a]) => a.split(/\s+/)[0]);
      for (const workspace of workspaces)
        expect(copied, `${name}: ${workspace}`).toContain(`${workspace}/package.json`);
      expect(copied).toContain('package.json');
    }
    expect(workspaces).toContain('demo');
  });
});

describe('.dockerignore', () => {
  it('is a whitelist that lets in exactly what the Dockerfile copies', () => {
    expect(dockerignore[0]).toBe('*');
    const allowed = dockerignore.filter((l) => l.startsWith('!')).map((l) => l.slice(1).replace(/\/$/, ''));
    for (const source of contextSources) {
      const path = source.replace(/\/$/, '');
      expect(
        allowed.some((a) => path === a || path.startsWith(`${a}/`)),
        `${source} is copied but excluded by .dockerignore`,
      ).toBe(true);
      expect(existsSync(join(ROOT, path)), `${source} does not exist`).toBe(true);
    }
    for (const entry of allowed)
      expect(
        contextSources.map((s) => s.replace(/\/$/, '')),
        entry,
      ).toContain(entry);
  });
});
