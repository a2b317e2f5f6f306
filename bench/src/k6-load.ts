import { runK6 } from '@otelkit/stack';
import { K6_SCRIPT } from './paths.js';

export interface LoadOutcome {
  requests: number;
  durationSeconds: number;
  /** Successful requests per second over the window. */
  throughput: number;
  failedRate: number;
  latencyMedianMs: number;
  latencyP95Ms: number;
}

type Summary = Record<string, Record<string, unknown>>;

const num = (summary: Summary, metric: string, field: string): number => {
  const value = summary[metric]?.[field];
  if (typeof value !== 'number') throw new Error(`k6 summary has no ${metric}.${field}`);
  return value;
};

/** Reads a k6 --summary-export document of bench/k6/constant-load.ts. */
export function loadOutcome(summary: Summary): LoadOutcome {
  const requests = num(summary, 'http_reqs', 'count');
  const rate = num(summary, 'http_reqs', 'rate');
  // http_req_failed is a Rate: `value` is the failed share (absent when k6 saw no request at all)
  const failedRate = requests === 0 ? 1 : num(summary, 'http_req_failed', 'value');
  return {
    requests,
    durationSeconds: rate > 0 ? requests / rate : 0,
    throughput: rate * (1 - failedRate),
    failedRate,
    latencyMedianMs: requests === 0 ? 0 : num(summary, 'http_req_duration', 'med'),
    latencyP95Ms: requests === 0 ? 0 : num(summary, 'http_req_duration', 'p(95)'),
  };
}

/** `vus` users hitting `baseUrl + route` back to back for `seconds` (bench/k6/constant-load.ts). */
export async function constantLoad(options: {
  baseUrl: string;
  route: string;
  vus: number;
  seconds: number;
}): Promise<LoadOutcome> {
  if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(options.baseUrl)) {
    throw new Error(`the benchmark only loads 127.0.0.1, not ${options.baseUrl}`);
  }
  const run = await runK6({
    script: K6_SCRIPT,
    baseUrl: options.baseUrl,
    testId: 'bench',
    env: { ROUTE: options.route, VUS: String(options.vus), DURATION: `${options.seconds}s` },
  });
  if (run.exitCode !== 0) throw new Error(`k6 exited with ${run.exitCode}:\n${run.output.slice(-2000)}`);
  return loadOutcome(run.summary.metrics as Summary);
}
