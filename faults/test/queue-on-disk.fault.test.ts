// Fault 9: nothing a collector acknowledged is lost when it is killed. The agent (collector/config.agent.yaml) and
// the gateway (collector/config.gateway.yaml) keep their sending queues on disk (file_storage): each is SIGKILLed
// while its queue holds spans, started again, and every span it had acknowledged reaches Jaeger.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ManagedProcess, waitUntil } from '@otelkit/native-runtime';
import { JaegerApi, labelOf, scrapeText, sumOf } from '@otelkit/testkit';
import {
  type CollectorPorts,
  freeCollectorPorts,
  freeStackPorts,
  gatewayProcess,
  jaeger as jaegerProcess,
  localAgentProcess,
  type StackContext,
} from '@otelkit/stack';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { COLLECTOR_METRICS, OtlpProbe, type ProbeTrace, recordFigures, sleep, toSeconds } from '../src/index.js';

const RATE = 20; // traces per second
const SPANS_PER_TRACE = 5;
const SERVICE = 'queue-probe';
const AGENT_EXPORTER = 'load_balancing/gateway';
const GATEWAY_EXPORTER = 'otlp_grpc/jaeger';

let dir: string;
let ctx: StackContext;
let jaeger: JaegerApi;
let jaegerService: ManagedProcess;
let gateway: ManagedProcess;
let agent: ManagedProcess;
let gatewayPorts: CollectorPorts;
let agentPorts: CollectorPorts;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'otelkit-queue-'));
  ctx = { ports: await freeStackPorts(), dir };
  jaegerService = jaegerProcess(ctx);
  jaeger = new JaegerApi(`http://127.0.0.1:${ctx.ports.jaegerQuery}`);
  gatewayPorts = await freeCollectorPorts();
  gateway = gatewayProcess({
    name: 'gateway',
    ports: gatewayPorts,
    dir: join(dir, 'gateway'),
    jaegerOtlpGrpc: `127.0.0.1:${ctx.ports.jaegerOtlpGrpc}`,
    prometheusRemoteWrite: 'http://127.0.0.1:9/api/v1/write', // span metrics are not under test
    // keep every trace, decide fast: the queues are under test, not the sampling
    env: { OTELCOL_TAIL_BASELINE_PERCENT: '100', OTELCOL_TAIL_DECISION_WAIT: '1s' },
  });
  agentPorts = await freeCollectorPorts();
  agent = localAgentProcess({
    name: 'agent',
    ports: agentPorts,
    dir: join(dir, 'agent'),
    gateways: [`127.0.0.1:${gatewayPorts.otlpGrpc}`],
  });
});

afterEach(async () => {
  for (const p of [agent, gateway, jaegerService]) await p?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The probe into the agent's OTLP/HTTP port. */
const startProbe = () =>
  new OtlpProbe(`http://127.0.0.1:${agentPorts.otlpHttp}`, {
    rate: RATE,
    spansPerTrace: SPANS_PER_TRACE,
    serviceName: SERVICE,
  }).start();
const metrics = (ports: CollectorPorts) => scrapeText(`http://127.0.0.1:${ports.metrics}/metrics`);
const ofExporter = (name: string) => (line: string) => labelOf(line, 'exporter') === name;

/** The acknowledged traces that Jaeger does not have with all their spans, after waiting for them. */
async function missingInJaeger(traces: ProbeTrace[]): Promise<ProbeTrace[]> {
  let missing = traces;
  await waitUntil(
    async () => {
      const found = await Promise.all(
        missing.map(async (t) => {
          const ids = new Set((await jaeger.trace(t.traceId))?.spans.map((s) => s.spanID));
          return t.spanIds.every((id) => ids.has(id));
        }),
      );
      missing = missing.filter((_, i) => !found[i]);
      return missing.length === 0;
    },
    { what: 'every acknowledged span in Jaeger', timeoutMs: 90_000, intervalMs: 2_000 },
  ).catch(() => undefined);
  return missing;
}

it('agent SIGKILLed with spans in its queue: every span it acknowledged reaches Jaeger after its restart', async () => {
  const started = Date.now();
  await jaegerService.start();
  await agent.start(); // the gateway is not up yet: everything the agent accepts waits in its queue on disk
  const probe = startProbe();
  await sleep(8_000);
  const queuedAtKill = sumOf(await metrics(agentPorts), COLLECTOR_METRICS.queueSize, ofExporter(AGENT_EXPORTER));
  const killedAt = Date.now();
  await agent.kill();
  await sleep(3_000); // the probe's requests fail meanwhile: not acknowledged, not expected
  await agent.start();
  await gateway.start();
  await sleep(5_000); // and the agent takes new spans again
  await probe.stop();
  const acknowledged = probe.acknowledged;
  const beforeKill = acknowledged.filter((t) => t.sentAt < killedAt);
  const missing = await missingInJaeger(acknowledged);

  recordFigures('queue-on-disk-agent', {
    order: 9,
    title: 'Agent SIGKILLed with a full sending queue: nothing acknowledged is lost',
    fault: `An OTLP probe sends ${RATE} traces/s (${SPANS_PER_TRACE} spans each) to the agent while no gateway is up; after 8 s the agent is killed with SIGKILL, started again 3 s later, then the gateway.`,
    requests: probe.traces.length,
    errors: missing.length,
    details: {
      'traces sent / acknowledged by the agent (before the kill)': `${probe.traces.length} / ${acknowledged.length} (${beforeKill.length})`,
      [`spans in the agent's queue at the kill (${COLLECTOR_METRICS.queueSize})`]: queuedAtKill,
      'acknowledged traces missing a span in Jaeger': missing.length,
    },
    durationSeconds: toSeconds(Date.now() - started),
  });

  expect(queuedAtKill).toBeGreaterThan(RATE * SPANS_PER_TRACE * 5); // the queue held several seconds of spans
  expect(beforeKill.length).toBeGreaterThan(RATE * 5);
  expect(acknowledged.length).toBeLessThan(probe.traces.length); // the requests while it was down were refused
  expect(missing.map((t) => t.traceId)).toEqual([]);
});

it('gateway SIGKILLed with decided traces queued for Jaeger: every span it acknowledged reaches Jaeger after its restart', async () => {
  const started = Date.now();
  await gateway.start(); // Jaeger is not up yet: the sampled traces wait in the gateway's queue on disk
  await agent.start();
  const probe = startProbe();
  await sleep(8_000);
  await probe.stop();
  const acknowledged = probe.acknowledged;
  const spans = acknowledged.length * SPANS_PER_TRACE;
  // Every span decided and queued: tail sampling holds a trace in memory until its decision (a gateway killed then
  // loses those, docs/scaling.md); once decided, it is in the queue on disk.
  let queued = 0;
  await waitUntil(
    async () => {
      queued = sumOf(await metrics(gatewayPorts), COLLECTOR_METRICS.queueSize, ofExporter(GATEWAY_EXPORTER));
      return queued >= spans;
    },
    { what: `the gateway's queue to hold ${spans} spans`, timeoutMs: 30_000, intervalMs: 500 },
  );
  await gateway.kill();
  await gateway.start();
  await jaegerService.start();
  const missing = await missingInJaeger(acknowledged);

  recordFigures('queue-on-disk-gateway', {
    order: 10,
    title: 'Gateway SIGKILLed with traces queued for Jaeger: nothing decided is lost',
    fault: `With Jaeger down, an OTLP probe sends ${RATE} traces/s (${SPANS_PER_TRACE} spans each) through the agent for 8 s; once the gateway has decided every trace and queued it for Jaeger, it is killed with SIGKILL and started again, then Jaeger.`,
    requests: probe.traces.length,
    errors: missing.length,
    details: {
      'traces sent / acknowledged by the agent': `${probe.traces.length} / ${acknowledged.length}`,
      [`spans in the gateway's queue to Jaeger at the kill (${COLLECTOR_METRICS.queueSize})`]: queued,
      'acknowledged traces missing a span in Jaeger': missing.length,
    },
    durationSeconds: toSeconds(Date.now() - started),
  });

  expect(acknowledged.length).toBe(probe.traces.length);
  expect(missing.map((t) => t.traceId)).toEqual([]);
});
