// Fault 2: Jaeger is down while the collector keeps receiving spans: the collector's queue stays bounded and the
// demo does not notice.
import { labelOf, scrapeText, sumOf } from '@otelkit/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  COLLECTOR_METRICS,
  droppedSpans,
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

const WARM_UP_MS = 10_000;
const OUTAGE_MS = 30_000;
const AFTER_MS = 15_000;
const RATE = faultRate(); // fault-rate.ts: 100 req/s, or half the measured ceiling
/** The demo's RSS may grow at most this much while Jaeger is down (it should not notice at all). */
const RSS_GROWTH_BOUND = 64 * MiB;

const JAEGER_EXPORTER = jaegerExporterName();
const ofJaegerExporter = (line: string) => labelOf(line, 'exporter') === JAEGER_EXPORTER;

let faults: FaultStack;
beforeAll(async () => {
  faults = await FaultStack.start();
});
afterAll(async () => faults?.stop());

it('Jaeger down: the collector queue stays within its capacity, the demo is unaffected, export resumes', async () => {
  const started = Date.now();
  const queue = new MetricSampler(faults.collectorMetricsUrl, (body) =>
    sumOf(body, COLLECTOR_METRICS.queueSize, ofJaegerExporter),
  ).start();
  const collectorRss = new MetricSampler(faults.collectorMetricsUrl, (body) =>
    sumOf(body, COLLECTOR_METRICS.processRss),
  ).start();
  const demoRss = new MetricSampler(faults.demoMetricsUrl, residentMemory).start();
  const load = faults.steadyLoad({
    rate: RATE,
    durationMs: WARM_UP_MS + OUTAGE_MS + AFTER_MS,
    testId: 'fault-jaeger-outage',
  });
  await sleep(WARM_UP_MS);
  const droppedBefore = droppedSpans(await scrapeText(faults.demoMetricsUrl));
  const stoppedAt = Date.now();
  await faults.jaegerProcess.kill();
  await sleep(OUTAGE_MS);
  const collectorMetrics = await scrapeText(faults.collectorMetricsUrl);
  const capacity = sumOf(collectorMetrics, COLLECTOR_METRICS.queueCapacity, ofJaegerExporter);
  const failedToSend = sumOf(collectorMetrics, COLLECTOR_METRICS.sendFailedSpans, ofJaegerExporter);
  const failedToEnqueue = sumOf(collectorMetrics, COLLECTOR_METRICS.enqueueFailedSpans, ofJaegerExporter);
  await faults.jaegerProcess.start();
  const restartedAt = Date.now();
  // polled from the restart on, while the load goes on (a first poll after k6's tail would measure the tail)
  const resumed = faults.waitForDemoTraces(restartedAt);
  const k6 = k6Figures(await load);
  await Promise.all([queue.stop(), collectorRss.stop(), demoRss.stop()]);
  const droppedByDemo = droppedSpans(await scrapeText(faults.demoMetricsUrl)) - droppedBefore;
  const resumedAfterMs = await resumed;
  const peakQueue = queue.max(stoppedAt);

  recordFigures('jaeger-outage', {
    order: 2,
    title: 'Jaeger down while the collector runs',
    fault: `Jaeger is killed after ${WARM_UP_MS / 1000} s of k6 load at ${RATE} req/s and restarted ${OUTAGE_MS / 1000} s later; the collector keeps receiving the demo's spans.`,
    requests: k6.requests,
    errors: k6.failed,
    recoverySeconds: toSeconds(resumedAfterMs),
    memoryMiB: {
      before: toMiB(demoRss.at(stoppedAt)),
      peak: toMiB(demoRss.max(stoppedAt)),
      bound: toMiB(demoRss.at(stoppedAt) + RSS_GROWTH_BOUND),
    },
    details: {
      'k6 requests / failed / failed checks': `${k6.requests} / ${k6.failed} / ${k6.checksFailed}`,
      'k6 latency p95 / max (ms)': `${k6.p95Ms} / ${k6.maxMs}`,
      [`collector queue to Jaeger: peak ${COLLECTOR_METRICS.queueSize} / ${COLLECTOR_METRICS.queueCapacity}`]: `${peakQueue} / ${capacity}`,
      'collector spans failed to send / failed to enqueue (queue full) during the outage': `${failedToSend} / ${failedToEnqueue}`,
      'collector RSS before / peak (MiB)': `${toMiB(collectorRss.at(stoppedAt))} / ${toMiB(collectorRss.max(stoppedAt))}`,
      "spans dropped by the demo's SDK during the outage": droppedByDemo,
      'first new trace in the restarted Jaeger after (s)': toSeconds(resumedAfterMs),
    },
    durationSeconds: toSeconds(Date.now() - started),
  });

  expect(capacity).toBeGreaterThan(0);
  expect(queue.samples.length).toBeGreaterThan(OUTAGE_MS / 2_000);
  expect(peakQueue).toBeGreaterThan(0); // the queue did fill while Jaeger was down...
  expect(peakQueue).toBeLessThanOrEqual(capacity); // ...but never past its capacity
  expect(k6.failed).toBe(0);
  expect(k6.checksFailed).toBe(0);
  expect(droppedByDemo).toBe(0);
  // the collector kept accepting: the demo lost nothing and noticed nothing
  expect(demoRss.max(stoppedAt) - demoRss.at(stoppedAt)).toBeLessThan(RSS_GROWTH_BOUND);
});
