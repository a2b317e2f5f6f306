import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, ManagedProcess, type PrometheusInstance, REPO_ROOT, waitUntil } from '@otelkit/native-runtime';
import { JaegerApi, labelOf, scrapeText, sumOf } from '@otelkit/testkit';
import {
  type CollectorPorts,
  freeCollectorPorts,
  type GatewayDiscovery,
  freeStackPorts,
  gatewayProcess,
  gatewaySampling,
  jaeger as jaegerProcess,
  type JaegerStorage,
  type K6Run,
  localAgentProcess,
  runK6,
  type StackContext,
  startPrometheus,
  writeGatewayHosts,
} from '../src/index.js';

/**
 * The gateway tier under k6 load, shared by the e2e tests that send through it (gateway.e2e.test.ts: tail sampling
 * and routing; opensearch.e2e.test.ts: the same path into OpenSearch). A service (fixtures/two-hop-app.mjs, three
 * spans per trace) exports to an agent (collector/config.agent.yaml with a static resolver), whose load_balancing
 * exporter routes by trace id to two gateways (collector/config.gateway.yaml: tail sampling, span metrics) that
 * write to Jaeger (its Badger store, or `jaegerStorage`) and Prometheus. k6 sends known shares of failed and slow
 * requests (loadtest/scenarios/tail-sampling.ts).
 */
export const SPANS_PER_TRACE = 3;
export const SERVICE = 'two-hop';
const SLOW_MS = gatewaySampling().latencyThresholdMs + 200;

/** One request the service served (its request log): the ground truth Jaeger is compared with. */
export interface Served {
  traceId: string;
  kind: 'ok' | 'slow' | 'error';
  status: number;
  /** When it was served (ms since the epoch). */
  at: number;
}

export interface GatewayTier {
  dir: string;
  /** Every process started, in start order (Jaeger first, the agent last). */
  processes: ManagedProcess[];
  jaegerProcess: ManagedProcess;
  jaeger: JaegerApi;
  prometheus: PrometheusInstance;
  gatewayPorts: CollectorPorts[];
  agentPorts: CollectorPorts;
  /** How the agent finds the gateways (the `discovery` option of startGatewayTier()). */
  discovery: GatewayDiscovery;
  /** The address of each gateway's OTLP gRPC receiver, in the order of gatewayPorts. */
  gatewayAddresses: string[];
}

/** The name the agent resolves with `discovery: 'dns'` (.test: reserved, never a real domain, RFC 2606). */
export const GATEWAYS_HOSTNAME = 'gateways.otelkit.test';

export interface TierOptions {
  /** Jaeger's trace store (default: its Badger store). */
  jaegerStorage?: JaegerStorage;
  /**
   * `static` (default): the agent has the gateways' `127.0.0.1:<port>` as a fixed list. `dns`: the gateways take the
   * same port, one on 127.0.0.1 and one on ::1, and the agent resolves GATEWAYS_HOSTNAME to both through a hosts file
   * of the tier's own (`tier.discovery.hostsFile`, see GatewayDiscovery): rewrite it with writeGatewayHosts() to
   * play the cluster's DNS taking a dead gateway out.
   */
  discovery?: 'static' | 'dns';
}

/** A tier being started: the processes started so far, for stopGatewayTier() after a start that failed. */
export type StartingTier = Partial<GatewayTier> & { dir: string; processes: ManagedProcess[] };

/**
 * Starts Jaeger, Prometheus, two gateways (decision_wait 5 s) and the agent in `dir`. Processes are added to
 * `tier.processes` before they start, so stopGatewayTier() cleans up after a start that failed half-way: pass it the
 * partial tier it fills.
 */
export async function startGatewayTier(tier: StartingTier, options: TierOptions = {}): Promise<GatewayTier> {
  const start = async (process: ManagedProcess) => {
    tier.processes.push(process);
    await process.start();
    return process;
  };
  const ctx: StackContext = { ports: await freeStackPorts(), dir: tier.dir };
  tier.jaegerProcess = await start(jaegerProcess(ctx, options.jaegerStorage));
  tier.jaeger = new JaegerApi(`http://127.0.0.1:${ctx.ports.jaegerQuery}`);
  tier.prometheus = await startPrometheus(ctx);
  tier.gatewayPorts = [await freeCollectorPorts(), await freeCollectorPorts()];
  if (options.discovery === 'dns') {
    const port = await freePort();
    tier.gatewayPorts = tier.gatewayPorts.map((ports) => ({ ...ports, otlpGrpc: port }));
    tier.gatewayAddresses = ['127.0.0.1', '::1'];
    tier.discovery = { hostname: GATEWAYS_HOSTNAME, port, hostsFile: join(tier.dir, 'agent-hosts') };
    writeGatewayHosts(tier.discovery, tier.gatewayAddresses);
  } else {
    tier.gatewayAddresses = tier.gatewayPorts.map(() => '127.0.0.1');
    tier.discovery = tier.gatewayPorts.map((p) => `127.0.0.1:${p.otlpGrpc}`);
  }
  for (const [index, ports] of tier.gatewayPorts.entries()) {
    const name = `gateway-${index}`;
    await start(
      gatewayProcess({
        name,
        ports,
        otlpGrpcHost: tier.gatewayAddresses[index],
        dir: join(tier.dir, name),
        jaegerOtlpGrpc: `127.0.0.1:${ctx.ports.jaegerOtlpGrpc}`,
        prometheusRemoteWrite: `http://127.0.0.1:${ctx.ports.prometheus}/api/v1/write`,
        env: { OTELCOL_TAIL_DECISION_WAIT: '5s' },
      }),
    );
  }
  tier.agentPorts = await freeCollectorPorts();
  await start(
    localAgentProcess({
      name: 'agent',
      ports: tier.agentPorts,
      dir: join(tier.dir, 'agent'),
      gateways: tier.discovery,
    }),
  );
  return tier as GatewayTier;
}

/** Stops what startGatewayTier() started (the agent first, so it flushes to live gateways). */
export async function stopGatewayTier(tier: StartingTier): Promise<void> {
  for (const p of [...tier.processes].reverse()) await p.stop();
  await tier.prometheus?.stop();
}

/**
 * Starts the service, runs k6's mix against it at `rate` requests/s for `durationS` (calling `during` once the load
 * has started), stops the service (its SDK flushes), and returns what k6 saw and what the service served.
 */
export async function runLoad(
  tier: GatewayTier,
  run: string,
  load: { rate: number; durationS: number },
  during?: () => Promise<void>,
): Promise<{ k6: K6Run; served: Served[] }> {
  const appPort = await freePort();
  const requestLog = join(tier.dir, `requests-${run}.jsonl`);
  const app = new ManagedProcess({
    name: SERVICE,
    command: process.execPath,
    args: ['--import', '@otelkit/node/register', join(REPO_ROOT, 'stack', 'test', 'fixtures', 'two-hop-app.mjs')],
    cwd: REPO_ROOT,
    env: {
      PORT: String(appPort),
      REQUEST_LOG: requestLog,
      OTEL_SERVICE_NAME: SERVICE,
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${tier.agentPorts.otlpGrpc}`,
      OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      OTEL_EXPORTER_PROMETHEUS_PORT: String(await freePort()),
    },
    logFile: join(tier.dir, `${SERVICE}-${run}.log`),
    readyUrl: `http://127.0.0.1:${appPort}/healthz`,
  });
  let k6Run: K6Run;
  try {
    await app.start();
    const k6 = runK6({
      script: join(REPO_ROOT, 'loadtest', 'scenarios', 'tail-sampling.ts'),
      baseUrl: `http://127.0.0.1:${appPort}`,
      env: { RATE: String(load.rate), DURATION: `${load.durationS}s`, SLOW_MS: String(SLOW_MS) },
      testId: `gateway-${run}`,
    });
    await during?.();
    k6Run = await k6;
  } finally {
    await app.stop(); // flushes the SDK's last batch to the agent
  }
  const lines = readFileSync(requestLog, 'utf8').split('\n');
  return { k6: k6Run, served: lines.filter((line) => line !== '').map((line) => JSON.parse(line) as Served) };
}

/** The trace ids of the served requests of one kind. */
export const traceIdsOf = (served: Served[], ...kinds: Array<Served['kind']>) =>
  served.filter((s) => kinds.includes(s.kind)).map((s) => s.traceId);

/**
 * Distinct spans in Jaeger of each of the given traces (0 when absent). Distinct: delivery is at least once, a batch
 * retried after one gateway failed is sent to the other gateway again.
 */
export const spanCounts = async (jaeger: JaegerApi, traceIds: string[]) =>
  new Map(
    await Promise.all(
      traceIds.map(async (id) => [id, new Set((await jaeger.trace(id))?.spans.map((s) => s.spanID)).size] as const),
    ),
  );

/**
 * Waits up to `timeoutMs` for every given trace to have all its spans in Jaeger, then returns the span counts as
 * they are (a test then names the traces still incomplete). A failed query (a daily OpenSearch index not serving
 * searches yet: Jaeger answers 500) is asked again.
 */
export async function countsOnceComplete(
  jaeger: JaegerApi,
  traceIds: string[],
  timeoutMs: number,
): Promise<Map<string, number>> {
  let counts = new Map<string, number>();
  await waitUntil(
    async () => {
      counts = await spanCounts(jaeger, traceIds).catch(() => new Map<string, number>());
      return counts.size === traceIds.length && [...counts.values()].every((n) => n >= SPANS_PER_TRACE);
    },
    { what: `${traceIds.length} traces complete in Jaeger`, timeoutMs, intervalMs: 2_000 },
  ).catch(() => undefined);
  return counts;
}

/** The traces of `counts` without exactly SPANS_PER_TRACE spans. */
export const incomplete = (counts: Map<string, number>) => [...counts].filter(([, n]) => n !== SPANS_PER_TRACE);

/** The /metrics body of a collector of the tier (its own telemetry). */
export const collectorMetrics = (ports: CollectorPorts) => scrapeText(`http://127.0.0.1:${ports.metrics}/metrics`);

const LB = 'load_balancing/gateway';
const ofLb = (line: string) => labelOf(line, 'exporter') === LB;

/** What the agent's load_balancing exporter did with the spans its receiver accepted (its own metrics). */
export interface AgentDeliveries {
  accepted: number;
  sent: number;
  sendFailed: number;
  enqueueFailed: number;
}

/** Waits up to a minute for the agent to have sent every span it accepted and emptied its queue; returns its counts. */
export async function agentDeliveries(tier: GatewayTier): Promise<AgentDeliveries> {
  let text = '';
  const read = () => ({
    accepted: sumOf(text, 'otelcol_receiver_accepted_spans_total'),
    sent: sumOf(text, 'otelcol_exporter_sent_spans_total', ofLb),
    sendFailed: sumOf(text, 'otelcol_exporter_send_failed_spans_total', ofLb),
    enqueueFailed: sumOf(text, 'otelcol_exporter_enqueue_failed_spans_total', ofLb),
  });
  await waitUntil(
    async () => {
      text = await collectorMetrics(tier.agentPorts);
      return read().sent >= read().accepted && sumOf(text, 'otelcol_exporter_queue_size', ofLb) === 0;
    },
    { what: 'the agent to deliver every accepted span', timeoutMs: 60_000, intervalMs: 1_000 },
  ).catch(() => undefined);
  return read();
}
