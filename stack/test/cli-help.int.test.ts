import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '@otelkit/native-runtime';

const run = promisify(execFile);

/** Every command-line program of the repository: each workspace's `*cli.ts` (as built), the demo and its dev script. */
function programs(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/(^|-)cli\.ts$/.test(name)) found.push(path);
    }
  };
  const workspaces = [
    ...readdirSync(REPO_ROOT).map((name) => join(REPO_ROOT, name)),
    ...readdirSync(join(REPO_ROOT, 'packages')).map((name) => join(REPO_ROOT, 'packages', name)),
  ];
  for (const workspace of workspaces) {
    const src = join(workspace, 'src');
    if (existsSync(join(workspace, 'package.json')) && existsSync(src)) walk(src);
  }
  const built = found.map((path) => path.replace(/\/src\//, '/dist/').replace(/\.ts$/, '.js'));
  return [...built, join(REPO_ROOT, 'demo', 'dist', 'main.js'), join(REPO_ROOT, 'demo', 'scripts', 'dev.mjs')].map(
    (path) => relative(REPO_ROOT, path),
  );
}

/** Runs a program with a bounded time (one that ignored --help and started its work would be killed, and fail). */
async function invoke(program: string, args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [program, ...args], {
      cwd: REPO_ROOT,
      timeout: 20_000,
      killSignal: 'SIGKILL',
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('every command-line program', () => {
  const all = programs();

  it('is found (the list this test walks)', () => {
    expect(all).toEqual(expect.arrayContaining(['stack/dist/cli.js', 'demo/dist/main.js', 'bench/dist/cli.js']));
    expect(all.length).toBeGreaterThanOrEqual(10);
    for (const program of all) expect(existsSync(join(REPO_ROOT, program)), `${program} is built`).toBe(true);
  });

  it.each(all)('%s answers --help with its usage, on stdout, exit 0', async (program) => {
    const { code, stdout, stderr } = await invoke(program, ['--help']);
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/^usage: /i);
    expect(`${stdout}${stderr}`).not.toMatch(/\n\s+at /); // no stack trace
  });

  it.each(all)('%s rejects an unknown flag with a clear error and its usage, exit 2', async (program) => {
    const { code, stdout, stderr } = await invoke(program, ['--no-such-flag']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^error: .*no-such-flag/);
    expect(stderr).toMatch(/usage: /i);
    expect(`${stdout}${stderr}`).not.toMatch(/\n\s+at /);
  });
});
