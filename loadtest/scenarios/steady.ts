// Steady: a constant arrival rate (RATE requests/s, default 20) for DURATION (default 60s). The fault suite runs
// it while it kills and restarts components: a fixed rate keeps the request count comparable between runs, and
// requests keep arriving even when some are slow.
import type { Options } from 'k6/options';
import { mixedTraffic } from '../lib/workload.ts';

const rate = Number(__ENV.RATE ?? '20');

export const options: Options = {
  scenarios: {
    steady: {
      executor: 'constant-arrival-rate',
      rate,
      timeUnit: '1s',
      duration: __ENV.DURATION ?? '60s',
      preAllocatedVUs: Math.max(5, rate),
      maxVUs: Math.max(20, rate * 4),
    },
  },
  // Only correctness: latency on a shared 2-core machine with a fault in progress is measured, not judged.
  thresholds: { http_req_failed: ['rate<0.01'], checks: ['rate>0.99'] },
};

export default mixedTraffic;
