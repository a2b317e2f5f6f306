import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ManagedProcess, PostgresInstance, PrometheusInstance } from '@otelkit/native-runtime';
import {
  type AlertmanagerOptions,
  alertmanager,
  collector,
  demo,
  type JaegerStorage,
  jaeger,
  postgresExporter,
  runDemoCommand,
  type StackContext,
  startPostgres,
  startPrometheus,
} from './components.js';
import { defaultPorts, type StackPorts } from './ports.js';

export interface NativeStackOptions {
  ports?: StackPorts;
  /** State directory; by default a temp directory removed by stop(). */
  dir?: string;
  /** Start the demo API too (default true). */
  demo?: boolean;
  /** Extra environment of the demo process. */
  demoEnv?: Record<string, string>;
  /** Jaeger's trace storage instead of its config file's (e.g. OpenSearch, trace-store.ts). */
  jaegerStorage?: JaegerStorage;
  /**
   * The port on 127.0.0.1 the demo reaches Postgres on, when not Postgres' own: a proxy in front of it (the fault
   * suite's latency proxy). Migrations and seeding still use Postgres directly.
   */
  demoDatabasePort?: number;
  /** Progress messages. */
  log?: (message: string) => void;
  /** Alertmanager's receivers and route timing. */
  alertmanager?: AlertmanagerOptions;
  /** Prometheus rules files by name, instead of the generated ones (tests: the same rules with a short `for`). */
  ruleFiles?: Record<string, string>;
}

/**
 * docker-compose.yml's topology without Docker: Postgres, postgres-exporter, Jaeger, the collector, Alertmanager,
 * Prometheus and the demo, each the real program with the same config file as in compose, all on 127.0.0.1.
 */
export class NativeStack {
  private readonly processes: Array<{ name: string; stop: () => Promise<unknown> }> = [];
  postgres: PostgresInstance | undefined;
  prometheus: PrometheusInstance | undefined;
  readonly components = new Map<string, ManagedProcess>();
  databaseUrl = '';

  private constructor(
    readonly ctx: StackContext,
    private readonly temporary: boolean,
    private readonly log: (message: string) => void,
  ) {}

  get ports(): StackPorts {
    return this.ctx.ports;
  }

  static async start(options: NativeStackOptions = {}): Promise<NativeStack> {
    const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'otelkit-stack-'));
    mkdirSync(dir, { recursive: true });
    // Postgres runs as its own user and must be able to traverse to its data directory.
    chmodSync(dir, 0o755);
    const stack = new NativeStack(
      { ports: options.ports ?? defaultPorts(), dir },
      options.dir === undefined,
      options.log ?? (() => {}),
    );
    try {
      await stack.startAll(options);
    } catch (error) {
      await stack.stop();
      throw error;
    }
    return stack;
  }

  /** A component by name, to stop or kill it in fault tests. */
  component(name: string): ManagedProcess {
    const found = this.components.get(name);
    if (found === undefined) throw new Error(`no component ${name} in this stack`);
    return found;
  }

  url(port: number, path = '/'): string {
    return `http://127.0.0.1:${port}${path}`;
  }

  async stop(): Promise<void> {
    for (const { name, stop } of this.processes.splice(0).reverse()) {
      this.log(`stopping ${name}`);
      await stop().catch((error: unknown) => this.log(`${name}: ${String(error)}`));
    }
    if (this.temporary) rmSync(this.ctx.dir, { recursive: true, force: true });
  }

  private async startAll(options: NativeStackOptions): Promise<void> {
    this.log('starting postgres');
    const { instance, url } = await startPostgres(this.ctx);
    this.postgres = instance;
    this.databaseUrl = url;
    this.processes.push({ name: 'postgres', stop: () => instance.stop() });

    const start = async (process: ManagedProcess) => {
      this.log(`starting ${process.options.name}`);
      await process.start();
      this.components.set(process.options.name, process);
      this.processes.push({ name: process.options.name, stop: () => process.stop() });
    };
    await start(postgresExporter(this.ctx, url));
    await start(jaeger(this.ctx, options.jaegerStorage));
    await start(collector(this.ctx));
    await start(alertmanager(this.ctx, options.alertmanager));

    this.log('starting prometheus');
    const prometheus = await startPrometheus(this.ctx, options.ruleFiles);
    this.prometheus = prometheus;
    this.processes.push({ name: 'prometheus', stop: () => prometheus.stop() });

    if (options.demo !== false) {
      this.log('migrating and seeding the demo database');
      runDemoCommand(this.ports, url, ['migrate']);
      runDemoCommand(this.ports, url, ['seed']);
      const demoUrl = new URL(url);
      if (options.demoDatabasePort !== undefined) demoUrl.port = String(options.demoDatabasePort);
      await start(demo(this.ctx, demoUrl.toString(), options.demoEnv));
    }
  }
}
