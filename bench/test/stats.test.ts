import { describe, expect, it } from 'vitest';
import { median, ratio, summarize } from '../src/stats.js';
import { sampleResults } from './fixtures.js';

describe('median', () => {
  it('is the middle value of an odd count, whatever the order', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([5])).toBe(5);
  });
  it('is the mean of the two middle values of an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
  it('does not reorder its input', () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });
  it('refuses an empty list', () => {
    expect(() => median([])).toThrow(/empty/);
  });
});

describe('ratio', () => {
  it('divides by the baseline and refuses a zero baseline', () => {
    expect(ratio(90, 100)).toBe(0.9);
    expect(() => ratio(1, 0)).toThrow(/zero baseline/);
  });
});

describe('summarize', () => {
  const summary = summarize(sampleResults());

  it('takes the median over rounds per sampling ratio, variant and route', () => {
    const full = summary.load.get(1)!;
    // rounds at factors 1, 0.9, 1.1: the median is the factor-1 round
    expect(full.uninstrumented.routes.postgres.throughput).toBeCloseTo(1000);
    expect(full.otelkit.routes.trivial.throughput).toBeCloseTo(3000);
    expect(full.otelkit.routes.trivial.rounds).toBe(3);
  });

  it('computes ratios to the uninstrumented median of the same sampling ratio and route', () => {
    expect(summary.load.get(1)!.otelkit.routes.postgres.throughputRatio).toBeCloseTo(0.95);
    expect(summary.load.get(1)!.upstream.routes.trivial.throughputRatio).toBeCloseTo(0.4);
    expect(summary.load.get(0.1)!.otelkit.routes.postgres.throughputRatio).toBeCloseTo(0.969);
    expect(summary.load.get(1)!.uninstrumented.routes.trivial.throughputRatio).toBe(1);
  });

  it("pairs each round with the same round's uninstrumented run, so drift between rounds cancels", () => {
    const results = sampleResults();
    // postgres at 100%: the machine ran at speed 1, 2 and 0.5 in rounds 1 to 3, and otelkit had one bad round
    // (ratios 0.9, 0.3, 0.95). The paired median is 0.9; the ratio of the medians would be 600 / 1000 = 0.6.
    const set = (variant: string, values: number[]) => {
      for (const r of results.load) {
        const m = r.routes.find((x) => x.route === 'postgres');
        if (r.sampling === 1 && r.variant === variant && m) m.throughput = values[r.round - 1]!;
      }
    };
    set('uninstrumented', [1000, 2000, 500]);
    set('otelkit', [900, 600, 475]);
    expect(summarize(results).load.get(1)!.otelkit.routes.postgres.throughputRatio).toBeCloseTo(0.9);
  });

  it('takes the start-up overhead from cold starts paired by run', () => {
    const results = sampleResults();
    // a slow second run for both variants shifts the medians of each but not the paired difference
    for (const c of results.coldStart) if (c.run === 2) c.msToFirstResponse += 1000;
    expect(summarize(results).startupOverhead.ms).toBe(120);
    expect(summary.startupOverhead).toEqual({ ms: 120, cpuMs: 90 });
  });

  it('reports spans per request served, RSS, cold start and scrape medians', () => {
    expect(summary.load.get(1)!.otelkit.spansPerRequest).toBe(3);
    expect(summary.load.get(0.1)!.upstream.spansPerRequest).toBeCloseTo(0.8);
    expect(summary.load.get(1)!.otelkit.rssAfterWarmupBytes).toBe(130 * 1024 * 1024);
    expect(summary.coldStartMs).toEqual({ uninstrumented: 420, upstream: 1420, otelkit: 540 });
    expect(summary.coldStartCpuMs).toEqual({ uninstrumented: 302, upstream: 1002, otelkit: 392 });
    expect(summary.scrapeMs).toBe(45);
  });

  it('fails clearly when a variant has no rounds', () => {
    const results = sampleResults();
    results.load = results.load.filter((r) => r.variant !== 'upstream');
    expect(() => summarize(results)).toThrow(/no upstream rounds on postgres at sampling 1/);
  });
});
