import { HTTP_DURATION_BUCKETS } from '@otelkit/node/names';
import { describe, expect, it } from 'vitest';
import { buildAll, dashboardQueries, isAlert, parsePromql, withOverrides } from '../src/index.js';
import { bucketMatcher, prometheusFloat, ratio } from '../src/promql.js';

describe('prometheusFloat: le values as Prometheus 3 stores them (Go labels.FormatOpenMetricsFloat)', () => {
  it.each([
    [1, '1.0'],
    [10, '10.0'],
    [5, '5.0'],
    [0, '0.0'],
    [-1, '-1.0'],
    [0.5, '0.5'],
    [2.5, '2.5'],
    [0.005, '0.005'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [123456, '123456.0'],
    [1e6, '1e+06'],
    [1.5e6, '1.5e+06'],
    [1e21, '1e+21'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
    [NaN, 'NaN'],
  ])('%s -> %s', (value, expected) => {
    expect(prometheusFloat(value)).toBe(expected);
  });
});

describe('bucketMatcher', () => {
  it('is a plain equality where Prometheus 2 and 3 write the boundary alike', () => {
    expect(bucketMatcher(0.5)).toBe('le="0.5"');
    expect(bucketMatcher(0.025)).toBe('le="0.025"');
  });

  it('matches both forms of an integer boundary, the dot escaped', () => {
    expect(bucketMatcher(1)).toBe('le=~"1|1\\\\.0"');
    expect(bucketMatcher(10)).toBe('le=~"10|10\\\\.0"');
  });

  it('every bucket boundary gives a matcher that parses', () => {
    for (const le of HTTP_DURATION_BUCKETS) {
      expect(() => parsePromql(`m{${bucketMatcher(le)}}`), String(le)).not.toThrow();
    }
  });
});

describe('an integer latency threshold', () => {
  const mixin = buildAll(withOverrides({ slo: { latencyThresholdSeconds: 5 } }));

  it('reaches the latency SLO recordings and the "requests faster than" panel as both forms', () => {
    const slow = mixin.recordingRules
      .flatMap((g) => g.rules)
      .filter((r) => !isAlert(r) && r.record.includes('slow_ratio'));
    expect(slow.length).toBeGreaterThan(0);
    for (const rule of slow) expect(rule.expr).toContain('le=~"5|5\\\\.0"');
    const panel = dashboardQueries(mixin.dashboards['service-overview']).find((q) =>
      q.panel.startsWith('Requests faster than'),
    );
    expect(panel?.panel).toBe('Requests faster than 5 s');
    expect(panel?.expr).toContain('le=~"5|5\\\\.0"');
  });
});

describe('ratio', () => {
  it('divides function calls and parenthesised expressions as they are', () => {
    expect(ratio('sum(rate(a[5m]))', '(b or 0 * c)')).toBe('sum(rate(a[5m])) / (b or 0 * c)');
    expect(ratio('sum by (x) (rate(a{le="0.5"}[5m]))', 'max(b)')).toBe('sum by (x) (rate(a{le="0.5"}[5m])) / max(b)');
  });

  it('parenthesises an operand with a top-level operator, which `/` would otherwise bind into', () => {
    expect(ratio('a or 0 * b', 'c + d')).toBe('(a or 0 * b) / (c + d)');
    expect(ratio('sum(a) - sum(b)', 'sum(c)')).toBe('(sum(a) - sum(b)) / sum(c)');
    expect(ratio('sum(a{x="a or b"})', 'c')).toBe('sum(a{x="a or b"}) / c');
    expect(parsePromql(ratio('sum(a) - sum(b)', 'sum(c)'))).toBeDefined();
  });
});
