import type { K6Run } from '@otelkit/stack';

/** The figures of a k6 run the fault suite reports: requests, failed requests, failed checks, latency. */
export interface K6Figures {
  requests: number;
  /** Requests answered with a status outside the scenario's expected statuses, or not answered at all. */
  failed: number;
  checksFailed: number;
  p95Ms: number;
  maxMs: number;
}

export function k6Figures(run: K6Run): K6Figures {
  const metric = (name: string, field: string) => Number(run.summary.metrics[name]?.[field] ?? Number.NaN);
  return {
    requests: metric('http_reqs', 'count'),
    // a Rate metric's `passes` counts the samples that were true: here, the failed requests
    failed: metric('http_req_failed', 'passes'),
    checksFailed: metric('checks', 'fails'),
    p95Ms: Math.round(metric('http_req_duration', 'p(95)')),
    maxMs: Math.round(metric('http_req_duration', 'max')),
  };
}
