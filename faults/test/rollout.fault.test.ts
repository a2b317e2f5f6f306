// Fault 12: a rolling update under k6 load, replayed on the real demo processes with the chart's termination
// settings. Kubernetes removes a terminating pod's endpoint and runs its preStop hook at the same time, and does not
// wait for the removal to reach every load balancer before SIGTERM; the chart's preStop sleep covers that window.
// Here an endpoint proxy (kube-proxy's part: a new connection goes to one of the current endpoints, established ones
// stay) keeps sending new connections to the old replica for most of the preStop window; SIGTERM comes when it ends.
// A control rollout without the preStop sleep shows that the same load does lose requests then.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, type ManagedProcess, REPO_ROOT } from '@otelkit/native-runtime';
import { demo, runK6 } from '@otelkit/stack';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  type Call,
  EndpointProxy,
  FaultStack,
  k6Figures,
  type K6Figures,
  recordFigures,
  sleep,
  toSeconds,
  WriteProbe,
} from '../src/index.js';

/** The chart's termination settings: the values this test replays (demo/chart/values.yaml, `termination`). */
const termination = (
  parse(readFileSync(join(REPO_ROOT, 'demo', 'chart', 'values.yaml'), 'utf8')) as {
    termination: { preStopSeconds: number; drainSeconds: number; telemetryFlushSeconds: number };
  }
).termination;
const PRE_STOP_MS = termination.preStopSeconds * 1000;
/** The endpoint leaves the load balancer this long after the pod's deletion: 80 % into the preStop sleep. */
const PROPAGATION_MS = Math.round(PRE_STOP_MS * 0.8);
/** The demo's environment as the chart sets it (deployment.yaml: SHUTDOWN_TIMEOUT_MS, OTELKIT_SHUTDOWN_TIMEOUT_MS). */
const SHUTDOWN_ENV = {
  SHUTDOWN_TIMEOUT_MS: String((termination.drainSeconds + termination.telemetryFlushSeconds) * 1000),
  OTELKIT_SHUTDOWN_TIMEOUT_MS: String(termination.telemetryFlushSeconds * 1000),
};
const RATE = 20;
const WARM_UP_MS = 5_000;
/** After the old replica exited, the load goes on this long through the remaining ones. */
const AFTER_MS = 5_000;

let faults: FaultStack;
let proxy: EndpointProxy | undefined;
const replicas: Array<{ process: ManagedProcess; port: number; dir: string }> = [];

/** Another replica of the demo (a new pod): the stack's demo on its own ports, same database and collector. */
async function startReplica(): Promise<{ process: ManagedProcess; port: number }> {
  const [port, metricsPort] = [await freePort(), await freePort()];
  const dir = mkdtempSync(join(tmpdir(), 'otelkit-replica-'));
  const ports = { ...faults.stack.ports, demo: port, demoMetrics: metricsPort };
  const process = demo({ ports, dir }, faults.stack.databaseUrl, SHUTDOWN_ENV);
  replicas.push({ process, port, dir });
  await process.start();
  return { process, port };
}

/** What the clients saw while one replica was deleted. */
interface RolloutRun {
  k6: K6Figures;
  probe: Call[];
  failedProbe: Call[];
  exitCode: number | null;
  sigtermToExitMs: number;
  routedToOldAfterDeletion: number;
}

/**
 * Deletes `old` as the kubelet and the endpoint controller do, under k6 load and a probe that opens a connection per
 * request: at the deletion the endpoint update is scheduled PROPAGATION_MS later, and SIGTERM comes after
 * `preStopMs` (the preStop sleep; 0 without one).
 */
async function rollout(
  old: { process: ManagedProcess; port: number },
  remaining: number[],
  preStopMs: number,
  testId: string,
): Promise<RolloutRun> {
  const p = proxy!;
  const load = runK6({
    scenario: 'steady',
    baseUrl: p.url,
    env: {
      RATE: String(RATE),
      DURATION: `${Math.round((WARM_UP_MS + Math.max(preStopMs, PROPAGATION_MS) + AFTER_MS + 3_000) / 1000)}s`,
    },
    testId,
  });
  const probe = new WriteProbe(p.url, { concurrency: 2, agent: false, pauseMs: 50 }).start();
  await sleep(WARM_UP_MS);

  const deletedAt = Date.now();
  const routedBefore = p.routed.get(old.port) ?? 0;
  let routedAfterDeletion = 0;
  const endpointRemoved = sleep(PROPAGATION_MS).then(() => {
    routedAfterDeletion = (p.routed.get(old.port) ?? 0) - routedBefore;
    p.setEndpoints(remaining);
  });
  await sleep(preStopMs);
  const sigtermAt = Date.now();
  old.process.signal('SIGTERM');
  const exitCode = await old.process.exited;
  const exitedAt = Date.now();
  await endpointRemoved;
  const [k6Run, calls] = await Promise.all([load, sleep(AFTER_MS).then(() => probe.stop())]);
  const failedProbe = calls.filter((c) => c.status === 0 || c.status >= 500);
  process.stderr.write(
    `[rollout ${testId}] deleted at ${new Date(deletedAt).toISOString()}, SIGTERM +${sigtermAt - deletedAt} ms, exit +${exitedAt - deletedAt} ms\n`,
  );
  return {
    k6: k6Figures(k6Run),
    probe: calls,
    failedProbe,
    exitCode,
    sigtermToExitMs: exitedAt - sigtermAt,
    routedToOldAfterDeletion: routedAfterDeletion,
  };
}

beforeAll(async () => {
  faults = await FaultStack.start(SHUTDOWN_ENV);
});
afterAll(async () => {
  await proxy?.stop();
  for (const { process, dir } of replicas) {
    await process.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
  await faults?.stop();
});

it('rolling update under load: with the preStop sleep no request is lost; without it, requests fail', async () => {
  const started = Date.now();
  const a = { process: faults.demo, port: faults.stack.ports.demo };
  const b = await startReplica();
  proxy = await EndpointProxy.start([a.port, b.port]);

  // The rollout as the chart runs it: the new replica (maxSurge 1) is ready, then the old one is deleted.
  const c = await startReplica();
  proxy.setEndpoints([a.port, b.port, c.port]);
  const withPreStop = await rollout(a, [b.port, c.port], PRE_STOP_MS, 'fault-rollout');

  // The control: the next old replica deleted without a preStop sleep (SIGTERM at once), same propagation delay.
  const withoutPreStop = await rollout(b, [c.port], 0, 'fault-rollout-control');

  const describeFailures = (run: RolloutRun) =>
    run.failedProbe.map((f) => `${f.method} ${f.path}: ${f.status} ${f.error ?? f.body.slice(0, 120)}`);
  recordFigures('rollout', {
    order: 12,
    title: 'Rolling update under load',
    fault: `A replica deleted under k6 load (${RATE} requests/s, keep-alive) and a probe opening a connection per request, behind a kube-proxy-like endpoint proxy that keeps routing new connections to it for ${toSeconds(PROPAGATION_MS)} s; SIGTERM after the chart's ${termination.preStopSeconds} s preStop sleep; then a control without it.`,
    requests: withPreStop.k6.requests + withPreStop.probe.length,
    errors: withPreStop.k6.failed + withPreStop.failedProbe.length,
    details: {
      'with preStop: k6 requests / failed': `${withPreStop.k6.requests} / ${withPreStop.k6.failed}`,
      'with preStop: probe requests (new connection each) / failed': `${withPreStop.probe.length} / ${withPreStop.failedProbe.length}`,
      'with preStop: new connections routed to the old replica after its deletion':
        withPreStop.routedToOldAfterDeletion,
      'with preStop: SIGTERM to exit (s), exit code': `${toSeconds(withPreStop.sigtermToExitMs)}, ${withPreStop.exitCode}`,
      'control without preStop: k6 requests / failed': `${withoutPreStop.k6.requests} / ${withoutPreStop.k6.failed}`,
      'control without preStop: probe requests / failed': `${withoutPreStop.probe.length} / ${withoutPreStop.failedProbe.length}`,
      'control without preStop: connections refused by the stopped replica': proxy.refused,
    },
    durationSeconds: toSeconds(Date.now() - started),
  });

  expect(withPreStop.routedToOldAfterDeletion, 'the old replica still got traffic after its deletion').toBeGreaterThan(
    0,
  );
  expect(withPreStop.exitCode).toBe(0);
  expect(withPreStop.k6.requests).toBeGreaterThan(0);
  expect(withPreStop.k6.failed).toBe(0);
  expect(withPreStop.k6.checksFailed).toBe(0);
  expect(describeFailures(withPreStop)).toEqual([]);
  // the control proves the test can see a lost request
  expect(withoutPreStop.k6.failed + withoutPreStop.failedProbe.length).toBeGreaterThan(0);
});
