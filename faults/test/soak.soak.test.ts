// Fault 7 (not in CI): the 10-minute soak. `npm run soak` (SOAK_DURATION=10m by default) runs
// loadtest/scenarios/soak.ts (30 req/s) against a fresh native stack and samples the demo's memory every 5 s.
import { METRICS } from '@otelkit/node/names';
import { sumOf } from '@otelkit/testkit';
import { runK6 } from '@otelkit/stack';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  FaultStack,
  k6Figures,
  MetricSampler,
  MiB,
  recordFigures,
  residentMemory,
  toMiB,
  toSeconds,
} from '../src/index.js';

const DURATION = process.env.SOAK_DURATION ?? '10m';
/** Memory is flat when the RSS at the end is within this of the RSS once warmed up (after the first fifth). */
const RSS_DRIFT_BOUND = 48 * MiB;

let faults: FaultStack;
beforeAll(async () => {
  faults = await FaultStack.start();
});
afterAll(async () => faults?.stop());

it(`soak (${DURATION} at 30 req/s): no failed request, flat memory`, async () => {
  const started = Date.now();
  const rss = new MetricSampler(faults.demoMetricsUrl, residentMemory, 5_000);
  const heap = new MetricSampler(faults.demoMetricsUrl, (body) => sumOf(body, METRICS.heapSizeUsed), 5_000);
  rss.start();
  heap.start();
  const k6 = k6Figures(
    await runK6({ scenario: 'soak', baseUrl: faults.demoUrl, env: { SOAK_DURATION: DURATION }, testId: 'soak' }),
  );
  await Promise.all([rss.stop(), heap.stop()]);
  const ended = Date.now();
  const warm = started + (ended - started) / 5;
  const warmRss = rss.at(warm);
  const endRss = rss.at(ended);
  // "at 0" is the first sample taken (none exists at the very start: the sampler's first scrape follows it)
  const quarter = (sampler: MetricSampler, i: number) =>
    toMiB(i === 0 ? (sampler.samples[0]?.value ?? Number.NaN) : sampler.at(started + ((ended - started) * i) / 4));

  recordFigures('soak', {
    order: 7,
    title: `Soak, ${DURATION}`,
    fault: `loadtest/scenarios/soak.ts: 30 req/s of the mixed workload for ${DURATION} (\`npm run soak\`, not in CI).`,
    requests: k6.requests,
    errors: k6.failed,
    memoryMiB: { before: toMiB(warmRss), peak: toMiB(rss.max(warm)), bound: toMiB(warmRss + RSS_DRIFT_BOUND) },
    details: {
      'k6 requests / failed / failed checks': `${k6.requests} / ${k6.failed} / ${k6.checksFailed}`,
      'k6 latency p95 / max (ms)': `${k6.p95Ms} / ${k6.maxMs}`,
      'demo RSS at 0, 1/4, 1/2, 3/4 and the end (MiB)': [0, 1, 2, 3, 4].map((i) => quarter(rss, i)).join(', '),
      'demo heap used at 0, 1/4, 1/2, 3/4 and the end (MiB)': [0, 1, 2, 3, 4].map((i) => quarter(heap, i)).join(', '),
      'RSS drift from warm (1/5 in) to the end (MiB)': toMiB(endRss - warmRss),
    },
    durationSeconds: toSeconds(Date.now() - started),
  });

  expect(k6.failed).toBe(0);
  expect(endRss - warmRss, `RSS ${toMiB(warmRss)} MiB once warm -> ${toMiB(endRss)} MiB at the end`).toBeLessThan(
    RSS_DRIFT_BOUND,
  );
});
