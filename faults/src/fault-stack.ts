import { STACK } from '@otelkit/stack-topology';
import { JaegerApi } from '@otelkit/testkit';
import { type ManagedProcess, waitUntil } from '@otelkit/native-runtime';
import { freeStackPorts, type K6Run, NativeStack, runK6 } from '@otelkit/stack';

/** A native stack on free ports for one fault test, with the URLs and clients fault tests use. */
export class FaultStack {
  readonly jaeger: JaegerApi;

  private constructor(readonly stack: NativeStack) {
    this.jaeger = new JaegerApi(stack.url(stack.ports.jaegerQuery).replace(/\/$/, ''));
  }

  static async start(demoEnv: Record<string, string> = {}): Promise<FaultStack> {
    const stack = await NativeStack.start({
      ports: await freeStackPorts(),
      demoEnv,
      log: (message) => process.stderr.write(`[stack] ${message}\n`),
    });
    return new FaultStack(stack);
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

  stop(): Promise<void> {
    return this.stack.stop();
  }
}
