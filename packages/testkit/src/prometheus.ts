import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ManagedProcess } from './managed-process.js';
import { freePort } from './ports.js';

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
    private readonly process: ManagedProcess,
    readonly port: number,
    private readonly dir: string,
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
    const process = new ManagedProcess({
      name: 'prometheus',
      command: options.binary ?? 'prometheus',
      args: [
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--enable-feature=exemplar-storage',
        '--web.enable-remote-write-receiver',
        '--web.enable-lifecycle',
        ...(options.args ?? []),
      ],
      readyUrl: `http://127.0.0.1:${port}/-/ready`,
      readyTimeoutMs: 30_000,
    });
    const instance = new PrometheusInstance(process, port, dir);
    try {
      await process.start();
    } catch (error) {
      await instance.stop();
      throw error;
    }
    return instance;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  get logs(): string {
    return this.process.output;
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
    await this.process.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
