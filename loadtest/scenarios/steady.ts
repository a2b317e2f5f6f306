// Steady: a constant arrival rate (RATE requests/s, default 20) for DURATION (default 60s). The fault suite runs
// it while it kills and restarts components: a fixed rate keeps the request count comparable between runs, and
// requests keep arriving even when some are slow.
import type { Options } from 'k6/options';
import { CORRECTNESS_THRESHOLDS, constantArrivalRate } from '../lib/config.ts';
import { mixedTraffic } from '../lib/workload.ts';

export const options: Options = {
  scenarios: {
    steady: constantArrivalRate('60s'),
  },
  // Only correctness: latency on a shared 2-core machine with a fault in progress is measured, not judged.
  thresholds: CORRECTNESS_THRESHOLDS,
};

export default mixedTraffic;
