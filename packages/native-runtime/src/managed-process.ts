import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { track } from './children.js';
import { waitUntil } from './wait.js';

export interface ManagedProcessOptions {
  /** Name in messages (`otel-collector`). */
  name: string;
  command: string;
  args?: string[];
  env?: Record<string, string>;
  cwd?: string;
  /** Where stdout and stderr go (appended); kept in memory (last 20 kB) as well. */
  logFile?: string;
  /** An HTTP URL that answers 2xx once the process is ready. */
  readyUrl?: string;
  readyTimeoutMs?: number;
  /** Grace period after SIGTERM before SIGKILL. */
  stopTimeoutMs?: number;
  uid?: number;
  gid?: number;
}

/**
 * A long-running child process (a collector, Jaeger, an exporter...) started and stopped the same way everywhere:
 * output captured, readiness awaited over HTTP, SIGTERM then SIGKILL on stop, killed if the parent exits.
 */
export class ManagedProcess {
  private child: ChildProcess | undefined;
  private log: WriteStream | undefined;
  private tail = '';
  private exitedPromise: Promise<number | null> | undefined;

  constructor(readonly options: ManagedProcessOptions) {}

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** The last 20 kB of output. */
  get output(): string {
    return this.tail;
  }

  async start(): Promise<void> {
    if (this.running) return;
    const { options } = this;
    if (options.logFile) {
      mkdirSync(dirname(options.logFile), { recursive: true });
      this.log = createWriteStream(options.logFile, { flags: 'a' });
    }
    const child = track(
      spawn(options.command, options.args ?? [], {
        cwd: options.cwd,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...options.env },
        stdio: ['ignore', 'pipe', 'pipe'],
        uid: options.uid,
        gid: options.gid,
      }),
    );
    this.child = child;
    this.exitedPromise = new Promise((resolve) => child.once('close', (code) => resolve(code)));
    const keep = (chunk: Buffer) => {
      this.tail = (this.tail + chunk.toString()).slice(-20_000);
      this.log?.write(chunk);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const spawned = new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    await spawned.catch((error: unknown) => {
      throw new Error(`${options.name}: cannot start ${options.command}: ${String(error)}`);
    });
    const readyUrl = options.readyUrl;
    if (readyUrl !== undefined) {
      await waitUntil(
        async () => {
          if (!this.running) throw new Error(`${options.name} exited during start-up:\n${this.tail}`);
          const response = await fetch(readyUrl).catch(() => undefined);
          await response?.arrayBuffer();
          return response?.ok === true;
        },
        { what: `${options.name} to be ready at ${readyUrl}`, timeoutMs: options.readyTimeoutMs ?? 60_000 },
      );
    }
  }

  /** SIGTERM, then SIGKILL after the grace period. Resolves with the exit code (null when killed by a signal). */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    const child = this.child;
    if (child === undefined || this.exitedPromise === undefined) return null;
    if (this.running) child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), this.options.stopTimeoutMs ?? 10_000);
    const code = await this.exitedPromise;
    clearTimeout(timer);
    this.child = undefined;
    await new Promise<void>((resolve) => (this.log ? this.log.end(resolve) : resolve()));
    this.log = undefined;
    return code;
  }

  /** Sends a signal and returns at once (a SIGTERM under load, in fault tests); await `exited` for the exit. */
  signal(signal: NodeJS.Signals): void {
    if (!this.running) throw new Error(`${this.options.name} is not running`);
    this.child?.kill(signal);
  }

  /** Resolves with the exit code (null when killed by a signal) once the current process has exited. */
  get exited(): Promise<number | null> {
    if (this.exitedPromise === undefined) throw new Error(`${this.options.name} was never started`);
    return this.exitedPromise;
  }

  /** Kills the process outright (a crash, for fault tests). */
  async kill(): Promise<void> {
    await this.stop('SIGKILL');
  }
}

/**
 * Starts `process` and resolves with `owner`, the instance that wraps it; when the start fails, `owner.stop()`
 * cleans up what was made for it (a temp directory) before the error is thrown.
 */
export async function startOwned<T extends { stop(): Promise<void> }>(process: ManagedProcess, owner: T): Promise<T> {
  try {
    await process.start();
  } catch (error) {
    await owner.stop();
    throw error;
  }
  return owner;
}
