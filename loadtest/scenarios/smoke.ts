// Smoke: a couple of virtual users for 30 s through every route. Run by the end-to-end test; any failure fails it.
import type { Options } from 'k6/options';
import { COMMON_THRESHOLDS } from '../lib/config.ts';
import { mixedTraffic } from '../lib/workload.ts';

export const options: Options = {
  scenarios: { smoke: { executor: 'constant-vus', vus: 2, duration: __ENV.DURATION ?? '30s' } },
  thresholds: COMMON_THRESHOLDS,
};

export default mixedTraffic;
