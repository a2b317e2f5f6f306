// Load: the expected daily peak. Ramp to 20 users, hold, ramp down (about 5 minutes).
import type { Options } from 'k6/options';
import { COMMON_THRESHOLDS } from '../lib/config.ts';
import { mixedTraffic } from '../lib/workload.ts';

export const options: Options = {
  scenarios: {
    load: {
      executor: 'ramping-vus',
      startVUs: 0,
      stages: [
        { duration: '1m', target: 20 },
        { duration: '3m', target: 20 },
        { duration: '1m', target: 0 },
      ],
      gracefulRampDown: '10s',
    },
  },
  thresholds: COMMON_THRESHOLDS,
};

export default mixedTraffic;
