import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { track } from './children.js';
import { freePort } from './ports.js';
import { waitUntil } from './wait.js';

export interface PrometheusOptions {
  /** prometheus.yml contents (YAML or JSON); use `scrapeConfig()` for a simple one. */
  config: string;
  /** More files beside prometheus.yml (target files, rule files), by relative path. */
  files?: Record<string, string>;
  /** Fixed port (default: a free one). */
  port?: number;
  /** Extra flags, e.g. for rule files. */
  args?: string[];
  binary?: string;
}

/** A minimal prometheus.yml scraping the given targets every `intervalSeconds`. */
export function scrapeConfig(jobs: Record<string, string[]>, intervalSeconds = 1): string {
  return JSON.stringify({
    global: { scrape_interval: `${intervalSeconds}s`, evaluation_interval: `${intervalSeconds}s` },
    scrape_configs: Object.entries(jobs).map(([job, targets]) => ({ job_name: job, static_configs: [{ targets }] })),
  });
}

/**
 * A real Prometheus server (Debian's `prometheus` package) on 127.0.0.1 with a private TSDB directory, exemplar
 * storage and the remote-write receiver on. `stop()` terminates it and deletes its data.
 */
export class PrometheusInstance {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    private readonly dir: string,
    private readonly output: { text: string },
  ) {}

  static async start(options: PrometheusOptions): Promise<PrometheusInstance> {
    const dir = mkdtempSync(join(tmpdir(), 'otelkit-prom-'));
    const configFile = join(dir, 'prometheus.yml');
    writeFileSync(configFile, options.config);
    for (const [path, content] of Object.entries(options.files ?? {})) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    const port = options.port ?? (await freePort());
    const child = track(
      spawn(
        options.binary ?? 'prometheus',
        [
          `--config.file=${configFile}`,
          `--storage.tsdb.path=${join(dir, 'data')}`,
          `--web.listen-address=127.0.0.1:${port}`,
          '--enable-feature=exemplar-storage',
          '--web.enable-remote-write-receiver',
          '--web.enable-lifecycle',
          ...(options.args ?? []),
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      ),
    );
    const output = { text: '' };
    const keep = (chunk: Buffer) => {
      output.text = (output.text + chunk.toString()).slice(-20_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const instance = new PrometheusInstance(child, port, dir, output);
    await waitUntil(
      async () => {
        if (child.exitCode !== null) throw new Error(`prometheus exited: ${output.text}`);
        return (await fetch(instance.url('/-/ready')).catch(() => undefined))?.ok === true;
      },
      { timeoutMs: 30_000, what: 'prometheus to be ready' },
    );
    return instance;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  get logs(): string {
    return this.output.text;
  }

  /** GET /api/v1/<path> and return `data`, throwing on an error status. */
  async api<T = any>(path: string, params: Record<string, string> = {}): Promise<T> {
    const response = await fetch(`${this.url(`/api/v1/${path}`)}?${new URLSearchParams(params)}`);
    const body = (await response.json()) as { status: string; data: T; error?: string };
    if (body.status !== 'success') throw new Error(`prometheus ${path}: ${body.error ?? response.status}`);
    return body.data;
  }

  /** Instant query; returns the result vector. */
  query(expr: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
    return this.api<{ result: Array<{ metric: Record<string, string>; value: [number, string] }> }>('query', {
      query: expr,
    }).then((d) => d.result);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGTERM');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
