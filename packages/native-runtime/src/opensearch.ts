import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManagedProcess, startOwned } from './managed-process.js';
import { type OpenSearchDistribution, openSearchDistribution } from './opensearch-distribution.js';
import { freePort } from './ports.js';

export interface OpenSearchOptions {
  /** Default: OPENSEARCH_VERSION of tools/versions.env. */
  version?: string;
  /** JVM heap (-Xms and -Xmx), default 512m: enough for a test's few indices. */
  heap?: string;
  /**
   * Let create-index requests set `index.creation_date`, the date that retention jobs (Jaeger's es-index-cleaner)
   * judge an index by, as OpenSearch's own test nodes do (java/OpenSearchNode.java --allow-index-creation-date), so
   * a test can create the daily index of a day long past. Default false, as in a real cluster.
   */
  allowIndexCreationDate?: boolean;
}

/**
 * A real single-node OpenSearch cluster (the server jars from Maven Central, started as OpenSearch's integration
 * tests start one: java/OpenSearchNode.java) on free 127.0.0.1 ports, HTTP without security (the security plugin
 * is not loaded), with its home, data and logs in a temp directory that `stop()` removes. The first start of a
 * version resolves and caches the jars (openSearchDistribution).
 */
export class OpenSearchInstance {
  private constructor(
    private readonly process: ManagedProcess,
    readonly port: number,
    readonly distribution: OpenSearchDistribution,
    private readonly dir: string,
  ) {}

  static async start(options: OpenSearchOptions = {}): Promise<OpenSearchInstance> {
    const distribution = await openSearchDistribution(options.version);
    const dir = mkdtempSync(join(tmpdir(), 'otelkit-opensearch-'));
    mkdirSync(join(dir, 'tmp'));
    const port = await freePort();
    const transportPort = await freePort();
    const heap = options.heap ?? '512m';
    const settings = {
      'cluster.name': 'otelkit-test',
      'node.name': 'otelkit-test-0',
      'discovery.type': 'single-node',
      'network.host': '127.0.0.1',
      'http.port': String(port),
      'transport.port': String(transportPort),
      'path.home': dir,
      'path.data': join(dir, 'data'),
      'path.logs': join(dir, 'logs'),
      // no disk watermarks: a busy shared disk must not turn the test's indices read-only
      'cluster.routing.allocation.disk.threshold_enabled': 'false',
      'logger.level': 'INFO',
    };
    const process = new ManagedProcess({
      name: 'opensearch',
      command: distribution.java,
      args: [
        `-Xms${heap}`,
        `-Xmx${heap}`,
        '-XX:+UseG1GC',
        `-Djava.io.tmpdir=${join(dir, 'tmp')}`,
        '-cp',
        distribution.classpath,
        distribution.mainClass,
        ...Object.entries(settings).flatMap(([key, value]) => ['-E', `${key}=${value}`]),
        ...distribution.plugins.flatMap((plugin) => ['--plugin', plugin]),
        ...(options.allowIndexCreationDate === true ? ['--allow-index-creation-date'] : []),
      ],
      logFile: join(dir, 'logs', 'stdout.log'),
      // yellow: every primary shard allocated (a single node never has replicas to allocate)
      readyUrl: `http://127.0.0.1:${port}/_cluster/health?wait_for_status=yellow&timeout=1s`,
      readyTimeoutMs: 120_000,
      // closing the node flushes its shards
      stopTimeoutMs: 30_000,
    });
    return startOwned(process, new OpenSearchInstance(process, port, distribution, dir));
  }

  /** http://127.0.0.1:<port>, what Jaeger's `server_urls` and the index cleaner take. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The node's output (the last 20 kB). */
  get logs(): string {
    return this.process.output;
  }

  /** A request to the REST API with a JSON body; returns the parsed answer, throwing on a non-2xx status. */
  async request<T = any>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`opensearch ${method} ${path}: ${response.status} ${text}`);
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  /** The names of the indices matching `pattern` (e.g. `otelkit-jaeger-*`), sorted. */
  async indices(pattern = '*'): Promise<string[]> {
    const rows = await this.request<Array<{ index: string }>>('GET', `/_cat/indices/${pattern}?format=json`);
    return rows.map((r) => r.index).sort();
  }

  /** Terminates the node (SIGTERM: it closes and flushes its shards) and removes its directory. */
  async stop(): Promise<void> {
    await this.process.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
