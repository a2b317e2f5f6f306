import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { REPO_ROOT, waitUntil } from '@otelkit/native-runtime';
import { defaultPorts } from '../src/index.js';

/**
 * `npm run stack` as a user meets it: started through npm (whose `sh -c` must not stand between npm and the runner),
 * stopped by signals sent to the npm process (what IDEs and process managers send) or to the runner itself.
 */

const dirs: string[] = [];
let running: ChildProcess | undefined;

afterEach(() => {
  // a failed test must not leave a stack behind: its whole tree, by pid
  if (running?.pid !== undefined && running.exitCode === null) {
    for (const pid of descendants(running.pid)) killQuietly(pid);
    killQuietly(running.pid);
  }
  running = undefined;
});
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Every process under `pid` (children, grandchildren...), from /proc/<pid>/stat's ppid. */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // exited meanwhile
    }
  }
  const found: number[] = [];
  const walk = (p: number) => {
    for (const child of children.get(p) ?? []) {
      found.push(child);
      walk(child);
    }
  };
  walk(pid);
  return found;
}

/** Whether a process exists and is not a zombie. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Runs `npm run stack -- args`, with a private TMPDIR (whatever the run leaves in it, it left behind). */
function npmRunStack(args: string[], tmp = newDir()): Run {
  const child = spawn('npm', ['run', 'stack', '--', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, FORCE_COLOR: '0', TMPDIR: tmp },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running = child;
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

const newDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'otelkit-stack-cli-'));
  dirs.push(dir);
  return dir;
};

describe('npm run stack', () => {
  const cases = [
    { signal: 'SIGTERM', to: 'npm' },
    { signal: 'SIGINT', to: 'npm' },
    { signal: 'SIGTERM', to: 'the runner' },
  ] as const;

  it.each(cases)(
    'stops everything in order on $signal sent to $to, leaving no process and no temporary folder',
    async ({ signal, to }) => {
      const tmp = newDir();
      const run = npmRunStack(['--free-ports', '--dir', newDir()], tmp);
      await waitUntil(
        () => {
          if (run.child.exitCode !== null) throw new Error(`npm run stack exited:\n${run.output()}`);
          return run.output().includes('the stack is up');
        },
        { what: 'the stack to be up', timeoutMs: 240_000 },
      );
      const npmPid = run.child.pid ?? -1;
      const tree = descendants(npmPid);
      const [runner] = tree; // npm's only child: the runner itself (the script execs it), not a shell
      expect(runner).toBeDefined();
      expect(readFileSync(`/proc/${runner}/cmdline`, 'utf8').split('\0').slice(0, 2)).toEqual([
        'node',
        'stack/dist/cli.js',
      ]);
      expect(tree.length).toBeGreaterThan(6); // postgres, the exporter, Jaeger, the collector, Prometheus, the demo

      process.kill(to === 'npm' ? npmPid : (runner ?? -1), signal);
      const code = await run.exited;
      await waitUntil(() => tree.every((pid) => !alive(pid)), { what: 'every process to end', timeoutMs: 30_000 });

      expect(code).toBe(0);
      const out = run.output();
      expect(out).toContain(`${signal}: stopping`);
      const order = ['otelkit-demo', 'prometheus', 'otel-collector', 'jaeger', 'postgres-exporter', 'postgres'].map(
        (name) => out.indexOf(`stopping ${name}\n`),
      );
      expect(order.every((at) => at > 0)).toBe(true);
      expect([...order].sort((a, b) => a - b)).toEqual(order);
      expect(out.indexOf('stopped\n')).toBeGreaterThan(order.at(-1) ?? 0);
      // node-compile-cache: npm's own module cache (npm calls module.enableCompileCache()), shared and kept by design
      expect(
        readdirSync(tmp).filter((name) => name !== 'node-compile-cache'),
        'temporary folders left behind',
      ).toEqual([]);
    },
    300_000,
  );

  it('wipes its data folder with --reset', async () => {
    const dir = newDir();
    mkdirSync(join(dir, 'postgres'));
    writeFileSync(join(dir, 'postgres', 'left-over'), 'from an earlier run');
    const run = npmRunStack(['--free-ports', '--dir', dir, '--reset']);
    await waitUntil(
      () => {
        if (run.child.exitCode !== null) throw new Error(`npm run stack exited:\n${run.output()}`);
        return run.output().includes('the stack is up');
      },
      { what: 'the stack to be up', timeoutMs: 240_000 },
    );
    expect(run.output()).toContain(`--reset: deleting ${dir}`);
    expect(existsSync(join(dir, 'postgres', 'left-over'))).toBe(false);
    expect(existsSync(join(dir, 'postgres', 'data', 'PG_VERSION'))).toBe(true); // a fresh cluster
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  }, 300_000);

  it('refuses to start when a port it needs is taken, naming the port and the process holding it', async () => {
    const ports = defaultPorts();
    // Hold a reference port (the first one this test can listen on; any other that is taken counts as well).
    let held: { server: Server; name: string; port: number } | undefined;
    for (const [name, port] of Object.entries(ports)) {
      const server = createServer();
      const listening = await new Promise<boolean>((resolve) => {
        server.once('error', () => resolve(false));
        server.listen(port, '127.0.0.1', () => resolve(true));
      });
      if (listening) {
        held = { server, name, port };
        break;
      }
    }
    if (held === undefined) throw new Error('every reference port is taken: cannot set up this test');
    try {
      const dir = newDir();
      const run = npmRunStack(['--dir', dir, '--reset']);
      const code = await run.exited;
      const out = run.output();
      expect(code).not.toBe(0);
      expect(out).toContain(`port ${held.port} (${held.name}) is taken by pid ${process.pid} (`);
      expect(out).not.toContain('the stack is up');
      expect(out).not.toContain('starting postgres');
      expect(existsSync(dir), '--reset deletes nothing when the stack cannot start').toBe(true);
    } finally {
      await new Promise((resolve) => held?.server.close(resolve));
    }
  }, 120_000);
});
