import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  gatewayMemoryLimits,
  latestSizingFile,
  readSizing,
  SCALING_DOC,
  scalingDoc,
  SIZING_DOC,
  sizingDoc,
} from '../src/gateway/sizing-files.js';
import {
  gatewaysFor,
  memoryLine,
  perUnit,
  plannedSpansPerCore,
  spansPerGatewayByMemory,
} from '../src/gateway/sizing-report.js';

describe('docs/gateway-sizing.md', () => {
  const file = latestSizingFile();
  const results = readSizing(file);

  it('comes from a real run of telemetrygen on a quiet machine: every step acknowledged its spans and used CPU', () => {
    expect(results.generator?.name).toBe('telemetrygen');
    expect(results.config.throttle).toBeUndefined();
    for (const step of results.steps) {
      expect(step.acknowledged, `${step.spansPerSecond} spans/s`).toBeGreaterThan(0.99 * step.sent);
      expect(step.gatewayReceived).toBe(step.acknowledged); // no lag left, nothing delivered twice
      expect(step.agent.cpuSeconds).toBeGreaterThan(0);
      expect(step.gateway.cpuSeconds).toBeGreaterThan(0);
      expect(step.quietWait?.reached, `${step.spansPerSecond} spans/s on a quiet machine`).toBe(true);
      expect(step.loadAverageStart).toHaveLength(3);
    }
  });

  it('shows exactly what the newest results render to (regenerate with `npm run bench:gateway -- --report`)', async () => {
    expect(readFileSync(SIZING_DOC, 'utf8')).toBe(await sizingDoc(results, file));
  });

  it("and so does docs/scaling.md's sizing section", async () => {
    const current = readFileSync(SCALING_DOC, 'utf8');
    expect(current).toBe(await scalingDoc(current, results, file));
  });
});

describe('the sizing arithmetic', () => {
  it('plans with the lowest throughput per core, two gateways at least, each at 70% of two cores', () => {
    const step = (spans: number, cpu: number) => ({
      spansPerSecond: spans / 20,
      seconds: 20,
      settleSeconds: 12,
      sent: spans,
      acknowledged: spans,
      gatewayReceived: spans,
      loadAverageStart: [0, 0, 0] as [number, number, number],
      loadAverageEnd: [0, 0, 0] as [number, number, number],
      agent: { cpuSeconds: cpu / 2, peakRssMiB: 100 },
      gateway: { cpuSeconds: cpu, peakRssMiB: 100 },
    });
    const results = {
      date: '',
      machine: { nproc: 2, cpuModel: '' },
      config: { decisionWait: '10s', baselinePercent: 10, spansPerTrace: 5 },
      steps: [step(20_000, 1), step(80_000, 2)],
    };
    expect(plannedSpansPerCore(results)).toBe(20_000);
    expect(perUnit(step(20_000, 1)).agentCoresPer1000).toBe(0.025);
    expect(gatewaysFor(1_000, 20_000)).toBe(2);
    expect(gatewaysFor(100_000, 20_000)).toBe(4); // 5 cores / 1.4 per gateway
  });

  it('draws memory against rate through the lowest and highest rate, and bounds a gateway by its soft limit', () => {
    const step = (spansPerSecond: number, rss: number) => ({
      spansPerSecond,
      seconds: 20,
      settleSeconds: 12,
      sent: spansPerSecond * 20,
      acknowledged: spansPerSecond * 20,
      gatewayReceived: spansPerSecond * 20,
      loadAverageStart: [0, 0, 0] as [number, number, number],
      loadAverageEnd: [0, 0, 0] as [number, number, number],
      agent: { cpuSeconds: 1, peakRssMiB: 80 },
      gateway: { cpuSeconds: 1, peakRssMiB: rss },
    });
    const results = {
      date: '',
      machine: { nproc: 2, cpuModel: '' },
      config: { decisionWait: '10s', baselinePercent: 10, spansPerTrace: 5 },
      steps: [step(1_000, 100), step(2_000, 110), step(8_000, 240)],
    };
    expect(memoryLine(results, 'gateway')).toEqual({ perThousand: 20, base: 80 });
    expect(memoryLine(results, 'agent')).toEqual({ perThousand: 0, base: 80 });
    // (800 - 200 - 80) MiB at 20 MiB per 1,000 spans/s
    expect(spansPerGatewayByMemory(results, { limitMiB: 800, spikeMiB: 200 })).toBe(26_000);
  });

  it("reads the gateway's memory_limiter from its manifests", () => {
    expect(gatewayMemoryLimits()).toEqual({ limitMiB: 800, spikeMiB: 200 });
    expect(() => gatewayMemoryLimits('env: []')).toThrow(/OTELCOL_MEMORY_LIMIT_MIB/);
  });
});
