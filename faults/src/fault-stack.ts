import { STACK } from '@otelkit/stack-topology';
import { JaegerApi, LatencyProxy } from '@otelkit/testkit';
import { type ManagedProcess, waitUntil } from '@otelkit/native-runtime';
import { freeStackPorts, type K6Run, NativeStack, runK6 } from '@otelkit/stack';
import type { WriteProbe } from './write-probe.js';

/** A native stack on free ports for one fault test, with the URLs and clients fault tests use. */
export class FaultStack {
  readonly jaeger: JaegerApi;

  private constructor(
    readonly stack: NativeStack,
    private readonly latencyProxy?: LatencyProxy,
  ) {
    this.jaeger = new JaegerApi(stack.url(stack.ports.jaegerQuery).replace(/\/$/, ''));
  }

  /**
   * `latencyProxy`: the demo reaches Postgres through a LatencyProxy (stopped with the stack), whose latency the
   * test sets (`FaultStack.proxy`).
   */
  static async start(
    demoEnv: Record<string, string> = {},
    options: { latencyProxy?: boolean } = {},
  ): Promise<FaultStack> {
    const ports = await freeStackPorts();
    const proxy = options.latencyProxy ? await LatencyProxy.start({ upstreamPort: ports.postgres }) : undefined;
    try {
      const stack = await NativeStack.start({
        ports,
        demoEnv,
        ...(proxy ? { demoDatabasePort: proxy.port } : {}),
        log: (message) => process.stderr.write(`[stack] ${message}\n`),
      });
      return new FaultStack(stack, proxy);
    } catch (error) {
      await proxy?.stop();
      throw error;
    }
  }

  /** The latency proxy between the demo and Postgres (started with `latencyProxy: true`). */
  get proxy(): LatencyProxy {
    if (this.latencyProxy === undefined) throw new Error('this stack has no latency proxy');
    return this.latencyProxy;
  }

  /** The demo's public base URL, without a trailing slash (what k6 and the clients use). */
  get demoUrl(): string {
    return this.stack.url(this.stack.ports.demo).replace(/\/$/, '');
  }

  /** The demo's metrics endpoint (its separate port). */
  get demoMetricsUrl(): string {
    return this.stack.url(this.stack.ports.demoMetrics, '/metrics');
  }

  get collectorMetricsUrl(): string {
    return this.stack.url(this.stack.ports.collectorMetrics, '/metrics');
  }

  get prometheusUrl(): string {
    return this.stack.url(this.stack.ports.prometheus).replace(/\/$/, '');
  }

  get demo(): ManagedProcess {
    return this.stack.component(STACK.demo.service);
  }

  get collector(): ManagedProcess {
    return this.stack.component(STACK.collector.service);
  }

  get jaegerProcess(): ManagedProcess {
    return this.stack.component(STACK.jaeger.service);
  }

  /** Runs SQL on the demo database as the superuser; rows as `|`-separated lines. */
  sql(query: string): string[] {
    const postgres = this.stack.postgres;
    if (postgres === undefined) throw new Error('the stack has no Postgres');
    return postgres
      .psql(query, STACK.postgres.database)
      .split('\n')
      .filter((line) => line !== '');
  }

  /** How many of the items and orders a WriteProbe saw acknowledged (2xx) are in the database. */
  acknowledgedInDatabase(probe: WriteProbe): { items: number; orders: number } {
    const inDb = (table: string, ids: number[]) =>
      ids.length === 0 ? 0 : Number(this.sql(`SELECT count(*) FROM ${table} WHERE id IN (${ids.join(',')})`)[0]);
    return { items: inDb('items', probe.itemIds), orders: inDb('orders', probe.orderIds) };
  }

  /** Traces of the demo in Jaeger that started at or after `since` (ms since the epoch). */
  async demoTracesSince(since: number, limit = 100) {
    return this.jaeger.traces(STACK.demo.service, { start: String(since * 1000), limit: String(limit) });
  }

  /**
   * Waits until Jaeger has a demo trace that started at or after `since`; resolves with how long after `since`
   * (ms) it was found, to within `intervalMs` (Jaeger is polled that often). Rejects after `timeoutMs`. Call it as
   * soon as the fault ends, while the load goes on: it measures when the trace arrived only if it polls meanwhile.
   */
  async waitForDemoTraces(since: number, timeoutMs = 60_000, intervalMs = 250): Promise<number> {
    let foundAt = Number.NaN;
    await waitUntil(
      async () => {
        if ((await this.demoTracesSince(since)).length === 0) return false;
        foundAt = Date.now();
        return true;
      },
      { what: `demo traces started after ${new Date(since).toISOString()} in Jaeger`, timeoutMs, intervalMs },
    );
    return foundAt - since;
  }

  /** k6's steady scenario (loadtest/scenarios/steady.ts) against the demo: `rate` requests/s for `durationMs`. */
  steadyLoad(options: { rate: number; durationMs: number; testId: string }): Promise<K6Run> {
    return runK6({
      scenario: 'steady',
      baseUrl: this.demoUrl,
      env: { RATE: String(options.rate), DURATION: `${Math.round(options.durationMs / 1000)}s` },
      testId: options.testId,
    });
  }

  async stop(): Promise<void> {
    await this.stack.stop();
    await this.latencyProxy?.stop();
  }
}
