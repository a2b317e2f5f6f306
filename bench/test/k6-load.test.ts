import { describe, expect, it } from 'vitest';
import { counterTotal } from '../src/bench-collector.js';
import { constantLoad, loadOutcome } from '../src/k6-load.js';

describe('loadOutcome', () => {
  it('reads requests, successful throughput, failures and latency from a k6 summary export', () => {
    const outcome = loadOutcome({
      http_reqs: { count: 10_000, rate: 1000 },
      http_req_failed: { passes: 100, fails: 9_900, value: 0.01 },
      http_req_duration: { med: 4.5, 'p(95)': 9.25 },
    });
    expect(outcome).toEqual({
      requests: 10_000,
      durationSeconds: 10,
      throughput: 990,
      failedRate: 0.01,
      latencyMedianMs: 4.5,
      latencyP95Ms: 9.25,
    });
  });

  it('names the missing metric', () => {
    expect(() => loadOutcome({ http_reqs: { count: 1 } })).toThrow(/http_reqs\.rate/);
  });

  it('refuses targets other than 127.0.0.1', async () => {
    await expect(constantLoad({ baseUrl: 'http://example.com:80', route: '/', vus: 1, seconds: 1 })).rejects.toThrow(
      /only loads 127\.0\.0\.1/,
    );
  });
});

describe('counterTotal', () => {
  it('sums every series of exactly that counter', () => {
    const text = [
      '# TYPE otelcol_receiver_accepted_spans counter',
      'otelcol_receiver_accepted_spans{receiver="otlp",transport="grpc"} 50',
      'otelcol_receiver_accepted_spans{receiver="otlp",transport="http"} 7',
      'otelcol_receiver_accepted_spans_other 1000',
    ].join('\n');
    expect(counterTotal(text, 'otelcol_receiver_accepted_spans')).toBe(57);
    expect(counterTotal(text, 'absent')).toBe(0);
  });
});
