// Soak: steady moderate load for 10 minutes (SOAK_DURATION to change it): memory and latency must stay flat.
// Not run in CI; see loadtest/README.md for the command and what to watch.
import type { Options } from 'k6/options';
import { COMMON_THRESHOLDS } from '../lib/config.ts';
import { mixedTraffic } from '../lib/workload.ts';

export const options: Options = {
  scenarios: {
    soak: {
      executor: 'constant-arrival-rate',
      rate: 30,
      timeUnit: '1s',
      duration: __ENV.SOAK_DURATION ?? '10m',
      preAllocatedVUs: 20,
      maxVUs: 60,
    },
  },
  thresholds: COMMON_THRESHOLDS,
};

export default mixedTraffic;
