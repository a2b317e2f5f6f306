/**
 * Settings shared by every scenario, from k6's environment (`k6 run -e BASE_URL=...` or the process environment).
 * Load tests target only the local demo: BASE_URL must be a loopback address (or the compose service name).
 */
const DEFAULT_BASE_URL = 'http://127.0.0.1:8080';
const ALLOWED_HOSTS = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\]|otelkit-demo)(:\d+)?$/;

export function baseUrl(): string {
  const url = (__ENV.BASE_URL ?? DEFAULT_BASE_URL).replace(/\/$/, '');
  const host = url.replace(/^https?:\/\//, '').split('/')[0] ?? '';
  if (!ALLOWED_HOSTS.test(host)) {
    throw new Error(
      `BASE_URL=${url}: load tests only target the local demo (127.0.0.1, localhost, [::1], otelkit-demo)`,
    );
  }
  return url;
}

/**
 * Correctness only: requests answered with an unexpected status (see expectedStatuses in demo-api.ts) and failed
 * checks. For runs on a shared machine with a fault in progress, where latency is measured, not judged.
 */
export const CORRECTNESS_THRESHOLDS = {
  http_req_failed: ['rate<0.01'],
  checks: ['rate>0.99'],
};

/** Thresholds every scenario shares: error rate and latency percentiles of the expected (non-error) requests. */
export const COMMON_THRESHOLDS = {
  ...CORRECTNESS_THRESHOLDS,
  'http_req_duration{expected_response:true}': ['p(95)<500', 'p(99)<1500'],
};

/**
 * A constant arrival rate of RATE requests/s (default 20) for DURATION (default `defaultDuration`), with enough VUs
 * for the rate: requests keep arriving at the same pace even when some are slow.
 */
export function constantArrivalRate(defaultDuration: string) {
  const rate = Number(__ENV.RATE ?? '20');
  return {
    executor: 'constant-arrival-rate' as const,
    rate,
    timeUnit: '1s',
    duration: __ENV.DURATION ?? defaultDuration,
    preAllocatedVUs: Math.max(5, rate),
    maxVUs: Math.max(20, rate * 4),
  };
}
