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
