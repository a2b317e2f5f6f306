import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { waitUntil } from '@otelkit/native-runtime';
import { sumOf } from '@otelkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CollectorPorts, gatewaySampling, type K6Run } from '../src/index.js';
import {
  agentDeliveries,
  collectorMetrics,
  countsOnceComplete,
  type GatewayTier,
  incomplete,
  runLoad as runTierLoad,
  type Served,
  SERVICE,
  spanCounts as tierSpanCounts,
  SPANS_PER_TRACE,
  startGatewayTier,
  type StartingTier,
  stopGatewayTier,
  traceIdsOf,
} from './tier-under-load.js';

/**
 * The gateway tier for real (tier-under-load.ts): a service with three spans per trace exports to an agent
 * (collector/config.agent.yaml with a static resolver), whose load_balancing exporter routes by trace id to two
 * gateways (collector/config.gateway.yaml: tail sampling, span metrics) that write to Jaeger and Prometheus.
 * k6 sends known shares of failed and slow requests (loadtest/scenarios/tail-sampling.ts).
 */
const RATE = 20;
const DURATION_S = 30;
const BASELINE = gatewaySampling().baselinePercent / 100;

const started: StartingTier = {
  dir: mkdtempSync(join(tmpdir(), 'otelkit-gateway-')),
  processes: [],
};
let tier: GatewayTier;
let k6: K6Run;
let served: Served[] = [];

const runLoad = (run: string, during?: () => Promise<void>) =>
  runTierLoad(tier, run, { rate: RATE, durationS: DURATION_S }, during);

beforeAll(async () => {
  tier = await startGatewayTier(started);
  ({ k6, served } = await runLoad('first'));
}, 300_000);

afterAll(async () => {
  await stopGatewayTier(started);
  rmSync(started.dir, { recursive: true, force: true });
});

const ofKind = (kind: Served['kind']) => traceIdsOf(served, kind);
const spanCounts = (traceIds: string[]) => tierSpanCounts(tier.jaeger, traceIds);

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
    expect(incomplete(await countsOnceComplete(tier.jaeger, wanted, 90_000)), `of ${wanted.length}`).toEqual([]);
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
      tier.gatewayPorts.map(async (p) =>
        sumOf(await collectorMetrics(p), 'otelcol_processor_tail_sampling_new_trace_id_received_total'),
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
        value = Number((await tier.prometheus.query(query))?.[0]?.value[1] ?? 0);
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
  let run: { k6: K6Run; served: Served[] };
  /** The killed gateway's own count of traces waiting for their decision, read right before the kill. */
  let undecidedAtKill = 0;
  let agentFailuresSeen = 0;

  beforeAll(async () => {
    const victim = tier.processes.find((p) => p.options.name === 'gateway-1');
    if (victim === undefined) throw new Error('no gateway-1');
    run = await runLoad('kill', async () => {
      await sleep(KILL_AFTER_MS);
      undecidedAtKill = sumOf(
        await collectorMetrics(tier.gatewayPorts[1] as CollectorPorts),
        'otelcol_processor_tail_sampling_sampling_traces_on_memory',
      );
      await victim.kill();
      await sleep(DOWN_MS);
      agentFailuresSeen = sumOf(
        await collectorMetrics(tier.agentPorts),
        'otelcol_loadbalancer_backend_outcome_total',
        (line) => line.includes('success="false"'),
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
    const delivered = await agentDeliveries(tier);
    expect(delivered.sent).toBe(delivered.accepted);
    expect(delivered.sendFailed).toBe(0);
    expect(delivered.enqueueFailed).toBe(0);
  });

  it("what is lost is at most the killed gateway's undecided traces, as its own metric counted them", async () => {
    const wanted = run.served.filter((s) => s.kind !== 'ok').map((s) => s.traceId);
    const lost = incomplete(await countsOnceComplete(tier.jaeger, wanted, 60_000)).length;
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
