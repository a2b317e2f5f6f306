import { type ChildProcess, spawn } from 'node:child_process';
import { dirname } from 'node:path';
import { freePort, track } from '@otelkit/native-runtime';

/** One JSON log line (pino) printed by the app, or the raw text when it is not JSON. */
export type LogLine = Record<string, unknown> & { raw: string };

/**
 * A fixture app running in a child process under `node --import @otelkit/node/register`. Started by `startApp`,
 * always stopped by `stop()` (tests call it in afterEach/afterAll), which kills it if it does not exit.
 */
export class AppProcess {
  readonly logs: LogLine[] = [];
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(
    readonly child: ChildProcess,
    readonly port: number,
    readonly metricsPort: number,
  ) {
    this.exited = new Promise((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
    let buffer = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      let nl = buffer.indexOf('\n');
      while (nl >= 0) {
        const raw = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        try {
          this.logs.push({ ...(JSON.parse(raw) as Record<string, unknown>), raw });
        } catch {
          this.logs.push({ raw });
        }
        nl = buffer.indexOf('\n');
      }
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk;
    });
  }

  /** The first log line matching `predicate`, waiting for it (otelkit batches stdout: lines arrive within 250 ms). */
  async waitForLog(predicate: (line: LogLine) => boolean, timeoutMs = 10_000): Promise<LogLine> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const line = this.logs.find(predicate);
      if (line !== undefined) return line;
      if (Date.now() > deadline) throw new Error(`no such log line within ${timeoutMs} ms; stderr: ${this.stderr}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  metricsUrl(): string {
    return `http://127.0.0.1:${this.metricsPort}/metrics`;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }
}

export interface StartAppOptions {
  /** Absolute path of the script to run. */
  script: string;
  /** Working directory (module resolution of --import starts here); defaults to the script's directory. */
  cwd?: string;
  env?: Record<string, string>;
  /** Arguments for node before the script; defaults to the otelkit register hook. */
  nodeArgs?: string[];
  /** Arguments after the script (a subcommand such as `serve`). */
  args?: string[];
  /** The node binary (another Node line's); defaults to the one running the tests. */
  node?: string;
  /** The `msg` of the log line that says the app is up; defaults to `listening`. */
  readyLog?: string;
}

/** Starts a fixture and resolves once it logged `listening` (or `readyLog`). */
export async function startApp(options: StartAppOptions): Promise<AppProcess> {
  const port = await freePort();
  const metricsPort = await freePort();
  const argv = [
    ...(options.nodeArgs ?? ['--import', '@otelkit/node/register']),
    options.script,
    ...(options.args ?? []),
  ];
  const child = track(
    spawn(options.node ?? process.execPath, argv, {
      cwd: options.cwd ?? dirname(options.script),
      env: {
        PATH: process.env.PATH ?? '',
        PORT: String(port),
        OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
        OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
        OTEL_SERVICE_NAME: 'fixture',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  const app = new AppProcess(child, port, metricsPort);
  const deadline = Date.now() + 20_000;
  const readyLog = options.readyLog ?? 'listening';
  while (!app.logs.some((l) => l.msg === readyLog)) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`fixture exited early (${child.exitCode ?? child.signalCode}): ${app.stderr}`);
    }
    if (Date.now() > deadline) {
      await app.stop();
      throw new Error(`fixture did not start: ${app.stderr}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return app;
}
