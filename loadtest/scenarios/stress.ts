// Stress: raise the arrival rate step by step past the expected peak to find where latency and errors break.
// Thresholds are looser: the point is to see the knee in Grafana, and the run aborts once errors exceed 5%.
import type { Options } from 'k6/options';
import { mixedTraffic } from '../lib/workload.ts';

export const options: Options = {
  scenarios: {
    stress: {
      executor: 'ramping-arrival-rate',
      startRate: 20,
      timeUnit: '1s',
      preAllocatedVUs: 50,
      maxVUs: 200,
      stages: [
        { duration: '1m', target: 50 },
        { duration: '1m', target: 100 },
        { duration: '1m', target: 200 },
        { duration: '1m', target: 300 },
        { duration: '30s', target: 0 },
      ],
    },
  },
  thresholds: {
    http_req_failed: [{ threshold: 'rate<0.05', abortOnFail: true, delayAbortEval: '20s' }],
    'http_req_duration{expected_response:true}': ['p(99)<3000'],
  },
};

export default mixedTraffic;
