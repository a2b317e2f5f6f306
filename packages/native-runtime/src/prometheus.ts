import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ManagedProcess, startOwned } from './managed-process.js';
import { freePort } from './ports.js';
import { toolBinary } from './repo-paths.js';

export interface PrometheusOptions {
  /** prometheus.yml contents (YAML or JSON); use `scrapeConfig()` for a simple one. */
  config: string;
  /** More files beside prometheus.yml (target files, rule files), by relative path. */
  files?: Record<string, string>;
  /** Fixed port (default: a free one). */
  port?: number;
  /** Extra flags, e.g. for rule files. */
  args?: string[];
  /** Default: the pinned Prometheus 3 of .tools/bin (tools/build-go-tools.sh prometheus). */
  binary?: string;
  /**
   * A persistent directory (the native stack's): the TSDB in `<dir>/data` survives `stop()` and the next start,
   * like PostgresInstance's data, while `<dir>/config` (prometheus.yml and `files`) is written anew on each start.
   * Default: a temp directory that `stop()` deletes.
   */
  dir?: string;
}

/** A minimal prometheus.yml scraping the given targets every `intervalSeconds`. */
export function scrapeConfig(jobs: Record<string, string[]>, intervalSeconds = 1): string {
  return JSON.stringify({
    global: { scrape_interval: `${intervalSeconds}s`, evaluation_interval: `${intervalSeconds}s` },
    scrape_configs: Object.entries(jobs).map(([job, targets]) => ({ job_name: job, static_configs: [{ targets }] })),
  });
}

/**
 * A real Prometheus 3 server (the pinned build in .tools/bin) on 127.0.0.1 with a private TSDB directory, exemplar
 * storage and the remote-write receiver on. `stop()` terminates it and deletes its data, unless `dir` was given.
 */
export class PrometheusInstance {
  private constructor(
    private readonly process: ManagedProcess,
    readonly port: number,
    private readonly dir: string,
    private readonly temporary: boolean,
  ) {}

  static async start(options: PrometheusOptions): Promise<PrometheusInstance> {
    const binary = options.binary ?? toolBinary('prometheus');
    const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'otelkit-prom-'));
    // this start's config, targets and rules, with none left over from an earlier start (a removed rules file)
    const configDir = join(dir, 'config');
    rmSync(configDir, { recursive: true, force: true });
    mkdirSync(configDir, { recursive: true });
    const configFile = join(configDir, 'prometheus.yml');
    writeFileSync(configFile, options.config);
    for (const [path, content] of Object.entries(options.files ?? {})) {
      mkdirSync(dirname(join(configDir, path)), { recursive: true });
      writeFileSync(join(configDir, path), content);
    }
    const port = options.port ?? (await freePort());
    const process = new ManagedProcess({
      name: 'prometheus',
      command: binary,
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
    return startOwned(process, new PrometheusInstance(process, port, dir, options.dir === undefined));
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
    if (this.temporary) rmSync(this.dir, { recursive: true, force: true });
  }
}
