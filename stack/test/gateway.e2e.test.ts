import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, ManagedProcess, type PrometheusInstance, REPO_ROOT, waitUntil } from '@otelkit/native-runtime';
import { JaegerApi, labelOf, scrapeText, sumOf } from '@otelkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CollectorPorts,
  freeCollectorPorts,
  freeStackPorts,
  gatewayProcess,
  gatewaySampling,
  jaeger as jaegerProcess,
  type K6Run,
  localAgentProcess,
  runK6,
  type StackContext,
  startPrometheus,
} from '../src/index.js';

/**
 * The gateway tier for real: a service (stack/test/fixtures/two-hop-app.mjs, three spans per trace) exports to an
 * agent (collector/config.agent.yaml with a static resolver), whose load_balancing exporter routes by trace id to
 * two gateways (collector/config.gateway.yaml: tail sampling, span metrics) that write to Jaeger and Prometheus.
 * k6 sends known shares of failed and slow requests (loadtest/scenarios/tail-sampling.ts).
 */
const RATE = 20;
const DURATION_S = 30;
const SPANS_PER_TRACE = 3;
const SERVICE = 'two-hop';
const SLOW_MS = gatewaySampling().latencyThresholdMs + 200;
const BASELINE = gatewaySampling().baselinePercent / 100;

interface Served {
  traceId: string;
  kind: 'ok' | 'slow' | 'error';
  status: number;
}

let dir: string;
const processes: ManagedProcess[] = [];
let prometheus: PrometheusInstance | undefined;
let jaeger: JaegerApi;
let gatewayPorts: CollectorPorts[];
let agentPorts: CollectorPorts;
let k6: K6Run;
let served: Served[] = [];

const startProcess = async (process: ManagedProcess) => {
  processes.push(process); // before start(): a start that fails is cleaned up too
  await process.start();
  return process;
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'otelkit-gateway-'));
  const ctx: StackContext = { ports: await freeStackPorts(), dir };
  await startProcess(jaegerProcess(ctx));
  jaeger = new JaegerApi(`http://127.0.0.1:${ctx.ports.jaegerQuery}`);
  prometheus = await startPrometheus(ctx);
  gatewayPorts = [await freeCollectorPorts(), await freeCollectorPorts()];
  for (const [index, ports] of gatewayPorts.entries()) {
    const name = `gateway-${index}`;
    await startProcess(
      gatewayProcess({
        name,
        ports,
        dir: join(dir, name),
        jaegerOtlpGrpc: `127.0.0.1:${ctx.ports.jaegerOtlpGrpc}`,
        prometheusRemoteWrite: `http://127.0.0.1:${ctx.ports.prometheus}/api/v1/write`,
        env: { OTELCOL_TAIL_DECISION_WAIT: '5s' },
      }),
    );
  }
  agentPorts = await freeCollectorPorts();
  await startProcess(
    localAgentProcess({
      name: 'agent',
      ports: agentPorts,
      dir: join(dir, 'agent'),
      gateways: gatewayPorts.map((p) => `127.0.0.1:${p.otlpGrpc}`),
    }),
  );
  ({ k6, served } = await runLoad('first'));
}, 300_000);

/**
 * Starts the service, runs k6's mix against it (calling `during` once the load has started), stops the service
 * (its SDK flushes), and returns what k6 saw and what the service served.
 */
async function runLoad(run: string, during?: () => Promise<void>): Promise<{ k6: K6Run; served: Served[] }> {
  const appPort = await freePort();
  const requestLog = join(dir, `requests-${run}.jsonl`);
  const app = new ManagedProcess({
    name: SERVICE,
    command: process.execPath,
    args: ['--import', '@otelkit/node/register', join(REPO_ROOT, 'stack', 'test', 'fixtures', 'two-hop-app.mjs')],
    cwd: REPO_ROOT,
    env: {
      PORT: String(appPort),
      REQUEST_LOG: requestLog,
      OTEL_SERVICE_NAME: SERVICE,
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${agentPorts.otlpGrpc}`,
      OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      OTEL_EXPORTER_PROMETHEUS_PORT: String(await freePort()),
    },
    logFile: join(dir, `${SERVICE}-${run}.log`),
    readyUrl: `http://127.0.0.1:${appPort}/healthz`,
  });
  let k6Run: K6Run;
  try {
    await app.start();
    const load = runK6({
      script: join(REPO_ROOT, 'loadtest', 'scenarios', 'tail-sampling.ts'),
      baseUrl: `http://127.0.0.1:${appPort}`,
      env: { RATE: String(RATE), DURATION: `${DURATION_S}s`, SLOW_MS: String(SLOW_MS) },
      testId: `gateway-${run}`,
    });
    await during?.();
    k6Run = await load;
  } finally {
    await app.stop(); // flushes the SDK's last batch to the agent
  }
  const lines = readFileSync(requestLog, 'utf8').split('\n');
  return { k6: k6Run, served: lines.filter((line) => line !== '').map((line) => JSON.parse(line) as Served) };
}

afterAll(async () => {
  for (const p of processes.reverse()) await p.stop();
  await prometheus?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const ofKind = (kind: Served['kind']) => served.filter((s) => s.kind === kind).map((s) => s.traceId);

/**
 * Distinct spans in Jaeger of each of the given traces (0 when absent). Distinct: delivery is at least once, a batch
 * retried after one gateway failed is sent to the other gateway again.
 */
const spanCounts = async (traceIds: string[]) =>
  new Map(
    await Promise.all(
      traceIds.map(async (id) => [id, new Set((await jaeger.trace(id))?.spans.map((s) => s.spanID)).size] as const),
    ),
  );
const metricsOf = (ports: CollectorPorts) => scrapeText(`http://127.0.0.1:${ports.metrics}/metrics`);

describe('agent -> load_balancing by trace id -> two gateways with tail sampling -> Jaeger', () => {
  it('k6 sent the known mix without errors', () => {
    expect(k6.exitCode, k6.output.slice(-3000)).toBe(0);
    expect(served.length).toBeGreaterThan(RATE * DURATION_S * 0.9);
    expect(ofKind('error').length).toBeGreaterThan(20);
    expect(ofKind('slow').length).toBeGreaterThan(20);
    expect(served.every((s) => s.status === (s.kind === 'error' ? 500 : 200))).toBe(true);
  });

  it('every failed and every slow trace is in Jaeger with all its spans', async () => {
    const wanted = [...ofKind('error'), ...ofKind('slow')];
    let counts = new Map<string, number>();
    await waitUntil(
      async () => {
        counts = await spanCounts(wanted);
        return [...counts.values()].every((n) => n >= SPANS_PER_TRACE);
      },
      { what: 'every error and slow trace complete in Jaeger', timeoutMs: 90_000, intervalMs: 2_000 },
    ).catch(() => undefined);
    const incomplete = [...counts].filter(([, n]) => n !== SPANS_PER_TRACE);
    expect(incomplete, `of ${wanted.length}`).toEqual([]);
  });

  it(`keeps the baseline share (${BASELINE * 100}%) of the other traces, each one complete`, async () => {
    const ok = ofKind('ok');
    const counts = await spanCounts(ok);
    const kept = [...counts.values()].filter((n) => n > 0);
    const share = kept.length / ok.length;
    // binomial: 4 standard deviations around the configured share
    const tolerance = 4 * Math.sqrt((BASELINE * (1 - BASELINE)) / ok.length);
    expect(Math.abs(share - BASELINE), `kept ${kept.length} of ${ok.length}`).toBeLessThanOrEqual(tolerance);
    expect(kept.every((n) => n === SPANS_PER_TRACE)).toBe(true);
  });

  it('no trace is split: the gateways together saw each trace id once, and both had a share', async () => {
    const perGateway = await Promise.all(
      gatewayPorts.map(async (p) =>
        sumOf(await metricsOf(p), 'otelcol_processor_tail_sampling_new_trace_id_received_total'),
      ),
    );
    expect(perGateway.reduce((a, b) => a + b, 0)).toBe(served.length);
    for (const count of perGateway) expect(count).toBeGreaterThan(served.length * 0.3);
  });

  it('span metrics count every request, sampled or not (computed before sampling)', async () => {
    const query = `sum(traces_span_metrics_calls_total{service_name="${SERVICE}",span_kind="SPAN_KIND_SERVER"})`;
    let value = 0;
    await waitUntil(
      async () => {
        value = Number((await prometheus?.query(query))?.[0]?.value[1] ?? 0);
        return value >= 2 * served.length;
      },
      { what: `${query} = ${2 * served.length}`, timeoutMs: 60_000, intervalMs: 2_000 },
    ).catch(() => undefined);
    expect(value).toBe(2 * served.length); // two server spans per request (outer and inner)
  });
});

describe('one gateway SIGKILLed mid-load and started again', () => {
  const KILL_AFTER_MS = 10_000;
  const DOWN_MS = 10_000;
  const LB = 'load_balancing/gateway';
  const ofLb = (line: string) => labelOf(line, 'exporter') === LB;
  let run: { k6: K6Run; served: Served[] };
  /** The killed gateway's own count of traces waiting for their decision, read right before the kill. */
  let undecidedAtKill = 0;
  let agentFailuresSeen = 0;

  beforeAll(async () => {
    const victim = processes.find((p) => p.options.name === 'gateway-1');
    if (victim === undefined) throw new Error('no gateway-1');
    run = await runLoad('kill', async () => {
      await sleep(KILL_AFTER_MS);
      undecidedAtKill = sumOf(
        await metricsOf(gatewayPorts[1] as CollectorPorts),
        'otelcol_processor_tail_sampling_sampling_traces_on_memory',
      );
      await victim.kill();
      await sleep(DOWN_MS);
      agentFailuresSeen = sumOf(await metricsOf(agentPorts), 'otelcol_loadbalancer_backend_outcome_total', (line) =>
        line.includes('success="false"'),
      );
      await victim.start();
    });
  }, 300_000);

  it('the service noticed nothing', () => {
    expect(run.k6.exitCode, run.k6.output.slice(-3000)).toBe(0);
    expect(run.served.length).toBeGreaterThan(RATE * DURATION_S * 0.9);
  });

  it('the agent kept the dead gateway share on disk and delivered all it accepted once the gateway was back', async () => {
    expect(agentFailuresSeen).toBeGreaterThan(0); // the agent did try the dead gateway
    let text = '';
    await waitUntil(
      async () => {
        text = await metricsOf(agentPorts);
        return (
          sumOf(text, 'otelcol_exporter_sent_spans_total', ofLb) >=
            sumOf(text, 'otelcol_receiver_accepted_spans_total') &&
          sumOf(text, 'otelcol_exporter_queue_size', ofLb) === 0
        );
      },
      { what: 'the agent to deliver every accepted span', timeoutMs: 60_000, intervalMs: 1_000 },
    ).catch(() => undefined);
    expect(sumOf(text, 'otelcol_exporter_sent_spans_total', ofLb)).toBe(
      sumOf(text, 'otelcol_receiver_accepted_spans_total'),
    );
    expect(sumOf(text, 'otelcol_exporter_send_failed_spans_total', ofLb)).toBe(0);
    expect(sumOf(text, 'otelcol_exporter_enqueue_failed_spans_total', ofLb)).toBe(0);
  });

  it("what is lost is at most the killed gateway's undecided traces, as its own metric counted them", async () => {
    const wanted = run.served.filter((s) => s.kind !== 'ok').map((s) => s.traceId);
    let counts = new Map<string, number>();
    await waitUntil(
      async () => {
        counts = await spanCounts(wanted);
        return [...counts.values()].every((n) => n >= SPANS_PER_TRACE);
      },
      { what: 'error and slow traces in Jaeger', timeoutMs: 60_000, intervalMs: 2_000 },
    ).catch(() => undefined);
    const lost = [...counts].filter(([, n]) => n < SPANS_PER_TRACE).length;
    process.stderr.write(
      `[gateway kill] error/slow traces: ${wanted.length}, incomplete or missing: ${lost}; ` +
        `traces undecided in the killed gateway at the kill: ${undecidedAtKill}\n`,
    );
    expect(undecidedAtKill).toBeGreaterThan(0);
    // the undecided traces are all kinds; error and slow ones are a tenth of them
    expect(lost).toBeLessThanOrEqual(undecidedAtKill);
    expect(lost).toBeLessThan(wanted.length / 2);
  });
});
