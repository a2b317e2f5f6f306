// Fault 8: Jaeger is killed (SIGKILL) and restarted under load: the traces it had stored before are still there,
// found by trace id through its query API (Badger on disk, stack/config/jaeger/config.yaml).
import type { JaegerTrace } from '@otelkit/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FaultStack, k6Figures, recordFigures, sleep, toSeconds } from '../src/index.js';

const WARM_UP_MS = 15_000;
const AFTER_MS = 15_000;
const RATE = 20;
/** How many of the traces stored before the kill are looked up again by id afterwards. */
const SAMPLE = 200;

let faults: FaultStack;
beforeAll(async () => {
  faults = await FaultStack.start();
});
afterAll(async () => faults?.stop());

const spanIds = (trace: JaegerTrace | undefined) => new Set(trace?.spans.map((s) => s.spanID) ?? []);

it('Jaeger killed and restarted under load: every trace it had stored is found again by id, with all its spans', async () => {
  const started = Date.now();
  const load = faults.steadyLoad({ rate: RATE, durationMs: WARM_UP_MS + AFTER_MS, testId: 'fault-jaeger-restart' });
  await sleep(WARM_UP_MS);
  // What Jaeger holds right before the kill: these traces, with at least these spans each.
  const before = await faults.demoTracesSince(started, SAMPLE);
  const killedAt = Date.now();
  await faults.jaegerProcess.kill();
  await faults.jaegerProcess.start();
  const restartedAfterMs = Date.now() - killedAt;
  const resumed = faults.waitForDemoTraces(Date.now());
  const k6 = k6Figures(await load);
  const resumedAfterMs = await resumed;

  const missing: string[] = [];
  const incomplete: string[] = [];
  for (const trace of before) {
    const again = await faults.jaeger.trace(trace.traceID);
    if (again === undefined) missing.push(trace.traceID);
    else if ([...spanIds(trace)].some((id) => !spanIds(again).has(id))) incomplete.push(trace.traceID);
  }
  const spansBefore = before.reduce((sum, t) => sum + t.spans.length, 0);

  recordFigures('jaeger-restart', {
    order: 8,
    title: 'Jaeger killed and restarted: stored traces survive',
    fault: `Jaeger (Badger storage on disk) is killed with SIGKILL after ${WARM_UP_MS / 1000} s of k6 load at ${RATE} req/s and started again at once; the traces it held are looked up by id.`,
    requests: k6.requests,
    errors: k6.failed,
    recoverySeconds: toSeconds(resumedAfterMs),
    details: {
      'k6 requests / failed / failed checks': `${k6.requests} / ${k6.failed} / ${k6.checksFailed}`,
      'traces (spans) stored before the kill, looked up by id after the restart': `${before.length} (${spansBefore})`,
      'traces missing / with a span missing after the restart': `${missing.length} / ${incomplete.length}`,
      'Jaeger down for (s): kill, start, ready': toSeconds(restartedAfterMs),
      'first new trace in the restarted Jaeger after (s)': toSeconds(resumedAfterMs),
    },
    durationSeconds: toSeconds(Date.now() - started),
  });

  expect(before.length).toBeGreaterThan(RATE * 5); // a real sample: several seconds of load were stored
  expect(missing).toEqual([]);
  expect(incomplete).toEqual([]);
  expect(k6.failed).toBe(0);
});
