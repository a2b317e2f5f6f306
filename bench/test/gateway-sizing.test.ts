import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { latestSizingFile, readSizing, SIZING_DOC, sizingDoc } from '../src/gateway/sizing-files.js';
import { gatewaysFor, perUnit, plannedSpansPerCore } from '../src/gateway/sizing-report.js';

describe('docs/gateway-sizing.md', () => {
  const file = latestSizingFile();
  const results = readSizing(file);

  it('comes from a real run: every step acknowledged its spans and used CPU', () => {
    for (const step of results.steps) {
      expect(step.acknowledged, `${step.spansPerSecond} spans/s`).toBeGreaterThan(0.99 * step.sent);
      expect(step.gatewayReceived).toBe(step.acknowledged); // no lag left, no refusal retried twice
      expect(step.agent.cpuSeconds).toBeGreaterThan(0);
      expect(step.gateway.cpuSeconds).toBeGreaterThan(0);
      expect(step.loadAverageStart).toHaveLength(3);
    }
  });

  it('shows exactly what the newest results render to (regenerate with `npm run bench:gateway -- --report`)', async () => {
    expect(readFileSync(SIZING_DOC, 'utf8')).toBe(await sizingDoc(results, file));
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
});
