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

/** Thresholds every scenario shares: error rate and latency percentiles of the expected (non-error) requests. */
export const COMMON_THRESHOLDS = {
  // requests answered with an unexpected status (see expectedStatuses in demo-api.ts)
  http_req_failed: ['rate<0.01'],
  checks: ['rate>0.99'],
  'http_req_duration{expected_response:true}': ['p(95)<500', 'p(99)<1500'],
};
