import { describe, expect, it } from 'vitest';
import { stripEof, textToOpenMetrics } from '../../src/metrics/to-openmetrics.js';

describe('textToOpenMetrics', () => {
  it('names counter families without _total and keeps the samples', () => {
    const text = [
      '# HELP otel_sdk_span_started_total Spans started.',
      '# UNIT otel_sdk_span_started_total {span}',
      '# TYPE otel_sdk_span_started_total counter',
      'otel_sdk_span_started_total{a="b"} 3',
      '',
    ].join('\n');
    expect(textToOpenMetrics(text)).toBe(
      [
        '# HELP otel_sdk_span_started Spans started.',
        '# TYPE otel_sdk_span_started counter',
        'otel_sdk_span_started_total{a="b"} 3',
        '',
      ].join('\n'),
    );
  });

  it('maps untyped to unknown, drops UNIT, blank lines and comments, keeps histograms', () => {
    const text = [
      '# a comment',
      '# HELP x_seconds X.',
      '# UNIT x_seconds s',
      '# TYPE x_seconds histogram',
      'x_seconds_bucket{le="+Inf"} 1',
      'x_seconds_sum 0.5',
      'x_seconds_count 1',
      '',
      '# TYPE y untyped',
      'y 1',
    ].join('\n');
    expect(textToOpenMetrics(text)).toBe(
      [
        '# HELP x_seconds X.',
        '# TYPE x_seconds histogram',
        'x_seconds_bucket{le="+Inf"} 1',
        'x_seconds_sum 0.5',
        'x_seconds_count 1',
        '# TYPE y unknown',
        'y 1',
        '',
      ].join('\n'),
    );
  });

  it('returns nothing for an empty input', () => {
    expect(textToOpenMetrics('\n\n')).toBe('');
  });

  it('strips only a trailing EOF', () => {
    expect(stripEof('a 1\n# EOF\n')).toBe('a 1\n');
    expect(stripEof('a 1\n')).toBe('a 1\n');
  });
});
