import { describe, expect, it } from 'vitest';
import { summarize } from '../src/stats.js';
import { evaluateTargets } from '../src/targets.js';
import { sampleResults } from './fixtures.js';

const verdict = (verdicts: ReturnType<typeof evaluateTargets>, text: string) => {
  const found = verdicts.filter((v) => v.target.includes(text));
  expect(found).toHaveLength(1);
  return found[0]!;
};

describe('evaluateTargets', () => {
  const verdicts = evaluateTargets(summarize(sampleResults()));

  it('checks the throughput share per sampling ratio and route against issue #8', () => {
    expect(verdict(verdicts, '100% sampling, Postgres route: otelkit keeps >= 90.0%')).toMatchObject({
      measured: '95.0%',
      met: true,
    });
    // 3000/4000 = 75% >= 70% at full sampling...
    expect(verdict(verdicts, '100% sampling, trivial route: otelkit keeps >= 70.0%').met).toBe(true);
    // ...but 76.5% < 90% at 10%
    expect(verdict(verdicts, '10% sampling, trivial route: otelkit keeps >= 90.0%')).toMatchObject({
      measured: '76.5%',
      met: false,
    });
  });

  it('compares the loss against half the upstream loss', () => {
    // postgres: otelkit -5%, upstream -30%: 5 <= 15
    expect(verdict(verdicts, '100% sampling, Postgres route: otelkit loses at most half').met).toBe(true);
    // trivial: otelkit -25%, upstream -60%: 25 <= 30
    expect(verdict(verdicts, '100% sampling, trivial route: otelkit loses at most half').met).toBe(true);
  });

  it('never lets otelkit lose throughput when the upstream variant lost none', () => {
    const results = sampleResults();
    for (const round of results.load.filter((r) => r.variant === 'upstream')) {
      const twin = results.load.find(
        (r) => r.variant === 'uninstrumented' && r.sampling === round.sampling && r.round === round.round,
      )!;
      round.routes = twin.routes.map((m) => ({ ...m }));
    }
    const v = verdict(evaluateTargets(summarize(results)), '100% sampling, Postgres route: otelkit loses at most half');
    expect(v.met).toBe(false);
  });

  it('checks start-up and RSS overheads', () => {
    expect(verdict(verdicts, 'startup overhead <= 150 ms')).toMatchObject({
      measured: '120 ms (90 ms more CPU)',
      met: true,
    });
    expect(verdict(verdicts, 'RSS overhead <= 40 MB')).toMatchObject({ measured: '30.0 MB', met: true });
  });

  it('checks the /metrics scrape with 10,000 series against issue #14', () => {
    const median = summarize(sampleResults()).scrapeMs;
    expect(verdict(verdicts, '/metrics with 10,000 series <= 20 ms')).toMatchObject({
      measured: `${median.toFixed(1)} ms`,
      met: median <= 20,
    });
    const slow = sampleResults();
    slow.metricsScrape.durationsMs = [84, 83, 85];
    expect(verdict(evaluateTargets(summarize(slow)), '/metrics with 10,000 series').met).toBe(false);
  });
});
