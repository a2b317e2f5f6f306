// Fault 1: the collector is killed (SIGKILL) for 60 s under steady k6 load, then restarted.
import { METRICS, QUEUE_FULL_ERROR_TYPE } from '@otelkit/node/names';
import { labelOf, scrapeText, sumOf } from '@otelkit/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  COLLECTOR_METRICS,
  droppedSpans,
  exportedSpans,
  FaultStack,
  faultRate,
  jaegerExporterName,
  k6Figures,
  MetricSampler,
  MiB,
  recordFigures,
  residentMemory,
  sleep,
  toMiB,
  toSeconds,
} from '../src/index.js';

const WARM_UP_MS = 20_000;
const OUTAGE_MS = 60_000;
const AFTER_MS = 25_000;
const RATE = faultRate(); // fault-rate.ts: 100 req/s, or half the measured ceiling
/** The demo's RSS may grow at most this much over its pre-outage value while spans cannot be exported. */
const RSS_GROWTH_BOUND = 64 * MiB;
/**
 * A trace started after the restarted collector is ready reaches Jaeger within this (issue #14): the demo's next
 * gRPC connection attempt (backoff capped at 1 s, +-20%), its batch span processor's 1 s schedule, the collector's
 * 1 s batch timeout, Jaeger's 200 ms batch and this test's 250 ms polling.
 */
const RECOVERY_BOUND_MS = 5_000;
/** How often the export path is sampled after the restart, to say where the recovery time goes. */
const BREAKDOWN_INTERVAL_MS = 250;

const JAEGER_EXPORTER = jaegerExporterName();

let faults: FaultStack;
beforeAll(async () => {
  faults = await FaultStack.start();
});
afterAll(async () => faults?.stop());

it('collector killed for 60 s: no failed request, bounded memory, drops counted, export resumes within 5 s', async () => {
  const started = Date.now();
  const rss = new MetricSampler(faults.demoMetricsUrl, residentMemory).start();
  const load = faults.steadyLoad({
    rate: RATE,
    durationMs: WARM_UP_MS + OUTAGE_MS + AFTER_MS,
    testId: 'fault-collector-outage',
  });
  await sleep(WARM_UP_MS);
  const droppedBefore = droppedSpans(await scrapeText(faults.demoMetricsUrl));
  const killedAt = Date.now();
  await faults.collector.kill();
  await sleep(OUTAGE_MS - 1_000);
  // The demo's successful exports, sampled finely from just before the restart (the collector's counters start at 0).
  const demoExported = new MetricSampler(faults.demoMetricsUrl, exportedSpans, BREAKDOWN_INTERVAL_MS).start();
  await sleep(1_000);
  const restartingAt = Date.now();
  await faults.collector.start();
  const restartedAt = Date.now();
  // Measured while the load goes on (a first poll after k6's tail would measure the tail, AFTER_MS): Jaeger is polled
  // from the restart on, and the collector's exporter to Jaeger is sampled.
  const resumed = faults.waitForDemoTraces(restartedAt);
  const collectorSent = new MetricSampler(
    faults.collectorMetricsUrl,
    (body) => sumOf(body, COLLECTOR_METRICS.sentSpans, (l) => labelOf(l, 'exporter') === JAEGER_EXPORTER),
    BREAKDOWN_INTERVAL_MS,
  ).start();
  const resumedAfterMs = await resumed;
  const k6 = k6Figures(await load);
  await Promise.all([rss.stop(), demoExported.stop(), collectorSent.stop()]);
  const demoResumedAfterMs = demoExported.firstAbove(demoExported.at(restartedAt), restartedAt) - restartedAt;
  const collectorResumedAfterMs = collectorSent.firstAbove(0) - restartedAt;

  const metrics = await scrapeText(faults.demoMetricsUrl);
  const dropped = droppedSpans(metrics) - droppedBefore;
  const queueFull = sumOf(
    metrics,
    METRICS.sdkSpansProcessed,
    (l) => labelOf(l, 'error_type') === QUEUE_FULL_ERROR_TYPE,
  );
  const before = rss.at(killedAt);
  const peak = rss.max(killedAt);

  recordFigures('collector-outage', {
    order: 1,
    title: 'Collector killed for 60 s',
    fault: `The collector is killed (SIGKILL) after ${WARM_UP_MS / 1000} s of k6 load at ${RATE} req/s, left down for ${OUTAGE_MS / 1000} s, then restarted; the load continues throughout.`,
    requests: k6.requests,
    errors: k6.failed,
    recoverySeconds: toSeconds(resumedAfterMs),
    memoryMiB: { before: toMiB(before), peak: toMiB(peak), bound: toMiB(before + RSS_GROWTH_BOUND) },
    details: {
      'k6 requests / failed / failed checks': `${k6.requests} / ${k6.failed} / ${k6.checksFailed}`,
      'k6 latency p95 / max (ms)': `${k6.p95Ms} / ${k6.maxMs}`,
      [`spans dropped by the demo's SDK during the outage (${METRICS.sdkSpansProcessed} with error_type)`]: dropped,
      [`of which ${QUEUE_FULL_ERROR_TYPE}`]: queueFull,
      'restarted collector ready after (s)': toSeconds(restartedAt - restartingAt),
      'after it is ready: first span exported by the demo / first span sent to Jaeger by the collector (s)': `${toSeconds(demoResumedAfterMs)} / ${toSeconds(collectorResumedAfterMs)}`,
      'first trace of a request after the restart in Jaeger after (s)': toSeconds(resumedAfterMs),
      'demo RSS samples (1 per s)': rss.samples.length,
    },
    durationSeconds: toSeconds(Date.now() - started),
  });

  expect(k6.requests).toBeGreaterThan(((WARM_UP_MS + OUTAGE_MS) / 1000) * RATE * 0.9);
  expect(k6.failed).toBe(0);
  expect(k6.checksFailed).toBe(0);
  expect(peak - before, `RSS ${toMiB(before)} MiB -> peak ${toMiB(peak)} MiB`).toBeLessThan(RSS_GROWTH_BOUND);
  expect(dropped).toBeGreaterThan(0);
  // export resumes: a trace started after the restart reaches Jaeger through the restarted collector, promptly
  expect(resumedAfterMs).toBeLessThanOrEqual(RECOVERY_BOUND_MS);
});
