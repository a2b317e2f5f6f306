// Tail sampling: a constant arrival rate (RATE requests/s, default 20) for DURATION (default 30s) against a service
// with a two-hop `/work?kind=` endpoint (stack/test/fixtures/two-hop-app.mjs), with known shares of failed and slow
// requests: of every 20 requests, one fails (500) and one is slower than the latency SLO (SLOW_MS, default 700 ms);
// the rest are fast and succeed. The gateway end-to-end test checks that the gateways keep every failed and every
// slow trace and a probabilistic share of the rest. Every request carries a fresh sampled traceparent.
import { check } from 'k6';
import exec from 'k6/execution';
import http from 'k6/http';
import type { Options } from 'k6/options';
import { baseUrl, CORRECTNESS_THRESHOLDS, constantArrivalRate } from '../lib/config.ts';
import { newTraceContext } from '../lib/traceparent.ts';

const slowMs = Number(__ENV.SLOW_MS ?? '700');
const BASE_URL = baseUrl();

export const options: Options = {
  scenarios: {
    mix: constantArrivalRate('30s'),
  },
  thresholds: CORRECTNESS_THRESHOLDS,
};

/** The kind of the n-th request: 1 in 20 fails, 1 in 20 is slow. */
export function kindOf(n: number): 'error' | 'slow' | 'ok' {
  if (n % 20 === 0) return 'error';
  if (n % 20 === 1) return 'slow';
  return 'ok';
}

export default function (): void {
  const kind = kindOf(exec.scenario.iterationInTest);
  const expected = kind === 'error' ? 500 : 200;
  const { traceparent } = newTraceContext();
  const response = http.get(`${BASE_URL}/work?kind=${kind}&ms=${slowMs}`, {
    headers: { traceparent },
    tags: { name: `GET /work ${kind}` },
    responseCallback: http.expectedStatuses(expected),
  });
  check(response, { [`${kind}: status ${expected}`]: (r) => r.status === expected });
}
