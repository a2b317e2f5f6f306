// The benchmark's load: VUS virtual users (constant), each sending GET BASE_URL + ROUTE back to back for DURATION,
// over keep-alive connections. bench/src/k6-load.ts runs it once for the warm-up and once per measured window, and
// reads http_reqs, http_req_failed and http_req_duration from the summary. Bounded by DURATION; 127.0.0.1 only.
import http from 'k6/http';
import type { Options } from 'k6/options';

export const options: Options = {
  scenarios: {
    constant: {
      executor: 'constant-vus',
      vus: Number(__ENV.VUS ?? '16'),
      duration: __ENV.DURATION ?? '10s',
      gracefulStop: '5s',
    },
  },
  discardResponseBodies: true,
  summaryTrendStats: ['med', 'p(95)'],
};

const url = `${__ENV.BASE_URL}${__ENV.ROUTE}`;

export default function (): void {
  http.get(url);
}
