// Spike: a sudden burst from 5 to 100 users for 30 s, then back: does the service recover without errors?
import type { Options } from 'k6/options';
import { COMMON_THRESHOLDS } from '../lib/config.ts';
import { mixedTraffic } from '../lib/workload.ts';

export const options: Options = {
  scenarios: {
    spike: {
      executor: 'ramping-vus',
      startVUs: 5,
      stages: [
        { duration: '30s', target: 5 },
        { duration: '5s', target: 100 },
        { duration: '30s', target: 100 },
        { duration: '5s', target: 5 },
        { duration: '1m', target: 5 },
      ],
    },
  },
  thresholds: { ...COMMON_THRESHOLDS, 'http_req_duration{expected_response:true}': ['p(99)<3000'] },
};

export default mixedTraffic;
