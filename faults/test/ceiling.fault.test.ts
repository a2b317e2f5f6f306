// Fault 0: what the demo sustains on this machine (k6's steady scenario at rising rates), which sets the rate every
// other fault runs at (faultRate: 100 req/s, or half the ceiling when the machine sustains less than 200).
// The suite's sequencer (faults/src/ceiling-first-sequencer.ts) runs this file first.
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  CEILING_ID,
  CEILING_KEY,
  FaultStack,
  k6Figures,
  loadAverages,
  rateForCeiling,
  recordFigures,
  toSeconds,
} from '../src/index.js';

const STEP_MS = 15_000;
const RATES = [25, 50, 75, 100, 150, 200, 300, 400];
/** A rate is sustained when k6 sends at least this share of it, at most 1% fail, and p95 stays within 500 ms. */
const SENT_SHARE = 0.95;
const P95_MS = 500;

let faults: FaultStack;
beforeAll(async () => {
  faults = await FaultStack.start();
});
afterAll(async () => faults?.stop());

it('measures the highest rate the demo sustains on this machine', async () => {
  const started = Date.now();
  const loadBefore = loadAverages();
  // warm-up: JIT, pools, the collector's first batches
  await faults.steadyLoad({ rate: RATES[0] ?? 25, durationMs: 10_000, testId: 'ceiling-warmup' });
  const steps: Array<{ rate: number; sent: number; failed: number; p95Ms: number; load: string; ok: boolean }> = [];
  for (const rate of RATES) {
    const k6 = k6Figures(await faults.steadyLoad({ rate, durationMs: STEP_MS, testId: `ceiling-${rate}` }));
    const sent = Math.round(k6.requests / (STEP_MS / 1000));
    const ok = sent >= rate * SENT_SHARE && k6.failed <= k6.requests * 0.01 && k6.p95Ms <= P95_MS;
    steps.push({ rate, sent, failed: k6.failed, p95Ms: k6.p95Ms, load: loadAverages(), ok });
    process.stderr.write(`[ceiling] ${JSON.stringify(steps.at(-1))}\n`);
    if (!ok) break;
  }
  const sustained = steps.filter((s) => s.ok).at(-1)?.rate ?? 0;

  recordFigures(CEILING_ID, {
    order: 0,
    title: 'What the demo sustains (the load of the faults)',
    fault: `No fault: k6's steady scenario (the faults' mixed traffic) at ${RATES.join(', ')} req/s for ${STEP_MS / 1000} s each, against the whole native stack (collector, Jaeger, Prometheus, Postgres and k6 on the same machine), until a rate is not sustained: k6 sends less than ${SENT_SHARE * 100}% of it, more than 1% fail, or p95 exceeds ${P95_MS} ms. Every other fault runs at 100 req/s when this ceiling is at least 200, at half of it otherwise.`,
    requests: steps.reduce((sum, s) => sum + s.sent * (STEP_MS / 1000), 0),
    errors: 0,
    details: {
      [CEILING_KEY]: sustained,
      'rate of every fault (req/s)': rateForCeiling(sustained),
      ...Object.fromEntries(
        steps.map((s) => [
          `${s.rate} req/s: sent per s / failed / p95 ms / load averages 1-5-15 min after`,
          `${s.sent} / ${s.failed} / ${s.p95Ms} / ${s.load}${s.ok ? '' : ' (not sustained)'}`,
        ]),
      ),
      'load averages before (1 / 5 / 15 min; the machine is shared)': loadBefore,
    },
    durationSeconds: toSeconds(Date.now() - started),
  });

  // the suite's earlier load (15-20 req/s) at least
  expect(sustained, JSON.stringify(steps)).toBeGreaterThanOrEqual(RATES[0] ?? 25);
});
