import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
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
import { describeTakenPorts, takenPorts } from './port-holders.js';
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
  /** Delete `dir` (earlier data: Postgres cluster, Prometheus TSDB, logs) once the ports are found free. */
  reset?: boolean;
}

/**
 * docker-compose.yml's topology without Docker: Postgres, postgres-exporter, Jaeger, the collector, Alertmanager,
 * Prometheus and the demo, each the real program with the same config file as in compose, all on 127.0.0.1.
 *
 * It refuses to start when a port it needs is taken (naming the port and its holder), so that no health check can be
 * answered by someone else's process. `stop()` may be called at any time, start-up included: it stops what runs, in
 * reverse order, and the start-up stops launching components and rejects.
 */
export class NativeStack {
  private readonly processes: Array<{ name: string; stop: () => Promise<unknown> }> = [];
  private stopRequested = false;
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

  /** Creates and starts a stack; rejects (with everything stopped) when a component fails to start. */
  static async start(options: NativeStackOptions = {}): Promise<NativeStack> {
    const stack = NativeStack.create(options);
    await stack.start(options);
    return stack;
  }

  /** A stack not yet started: `start()` it, and `stop()` it at any time (a signal during start-up). */
  static create(options: NativeStackOptions = {}): NativeStack {
    const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'otelkit-stack-'));
    return new NativeStack(
      { ports: options.ports ?? defaultPorts(), dir },
      options.dir === undefined,
      options.log ?? (() => {}),
    );
  }

  /**
   * Starts every component in order, after checking that every port is free (before `reset` deletes anything: a
   * running stack holds these ports, and its data must not go from under it). Rejects with everything stopped.
   */
  async start(options: Omit<NativeStackOptions, 'ports' | 'dir' | 'log'> = {}): Promise<void> {
    try {
      const taken = await takenPorts({ ...this.ports });
      if (taken.length > 0) throw new Error(describeTakenPorts(taken));
      if (options.reset === true && existsSync(this.ctx.dir)) {
        this.log(`--reset: deleting ${this.ctx.dir}`); // as `npm run stack -- --reset` says it
        rmSync(this.ctx.dir, { recursive: true, force: true });
      }
      mkdirSync(this.ctx.dir, { recursive: true });
      // Postgres runs as its own user and must be able to traverse to its data directory.
      chmodSync(this.ctx.dir, 0o755);
      await this.startAll(options);
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  /**
   * What does not answer its health check now: a component that exited, or whose readiness URL (Postgres: a query)
   * fails. Empty when the whole stack is up.
   */
  async unhealthy(): Promise<string[]> {
    const problems: string[] = [];
    if (this.postgres === undefined || !this.postgres.running) problems.push('postgres is not running');
    else {
      try {
        this.postgres.psql('SELECT 1');
      } catch (error) {
        problems.push(`postgres does not answer: ${String(error)}`);
      }
    }
    const checks: Array<{ name: string; running: boolean; url: string | undefined }> = [
      ...[...this.components.values()].map((p) => ({
        name: p.options.name,
        running: p.running,
        url: p.options.readyUrl,
      })),
      ...(this.prometheus === undefined
        ? []
        : [{ name: 'prometheus', running: true, url: this.prometheus.url('/-/ready') }]),
    ];
    for (const { name, running, url } of checks) {
      if (!running) {
        problems.push(`${name} exited`);
        continue;
      }
      if (url === undefined) continue;
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000) }).catch((error: unknown) => error);
      if (!(response instanceof Response) || !response.ok) {
        problems.push(
          `${name} does not answer at ${url}: ${response instanceof Response ? response.status : String(response)}`,
        );
      }
      if (response instanceof Response) await response.arrayBuffer();
    }
    return problems;
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
    this.stopRequested = true;
    for (const { name, stop } of this.processes.splice(0).reverse()) {
      this.log(`stopping ${name}`);
      await stop().catch((error: unknown) => this.log(`${name}: ${String(error)}`));
    }
    if (this.temporary) rmSync(this.ctx.dir, { recursive: true, force: true });
  }

  /** Throws once stop() was called, so that start-up launches nothing more. */
  private checkNotStopped(): void {
    if (this.stopRequested) throw new Error('the stack was stopped during start-up');
  }

  private async startAll(options: Omit<NativeStackOptions, 'ports' | 'dir' | 'log'>): Promise<void> {
    this.checkNotStopped();
    this.log('starting postgres');
    const { instance, url } = await startPostgres(this.ctx);
    this.postgres = instance;
    this.databaseUrl = url;
    this.processes.push({ name: 'postgres', stop: () => instance.stop() });
    this.checkNotStopped();

    const start = async (process: ManagedProcess) => {
      this.checkNotStopped();
      this.log(`starting ${process.options.name}`);
      // Registered before it is ready, so that a stop() during its start-up stops it too.
      this.processes.push({ name: process.options.name, stop: () => process.stop() });
      await process.start();
      this.components.set(process.options.name, process);
    };
    await start(postgresExporter(this.ctx, url));
    await start(jaeger(this.ctx, options.jaegerStorage));
    await start(collector(this.ctx));
    await start(alertmanager(this.ctx, options.alertmanager));

    this.checkNotStopped();
    this.log('starting prometheus');
    const prometheus = await startPrometheus(this.ctx, options.ruleFiles);
    this.prometheus = prometheus;
    this.processes.push({ name: 'prometheus', stop: () => prometheus.stop() });
    this.checkNotStopped();

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
