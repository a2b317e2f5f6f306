import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { type AppProcess, OtlpGrpcReceiver, startApp } from '@otelkit/testkit';
import { freePort, waitUntil } from '@otelkit/native-runtime';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { fixture, OTLP_KIND } from './helpers.js';

let receiver: OtlpGrpcReceiver;
let app: AppProcess | undefined;

beforeAll(async () => {
  receiver = await new OtlpGrpcReceiver().start();
});
afterEach(async () => {
  await app?.stop();
  app = undefined;
  receiver.spans.length = 0;
});
afterAll(async () => receiver.stop());

/** Batches are only exported at shutdown: the schedule delay is far longer than the test. */
const flushOnlyAtShutdown = () => ({
  OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
  OTEL_BSP_SCHEDULE_DELAY: '600000',
});

describe('shutdown', () => {
  it('flushes the last spans on SIGTERM, then exits as the signal would', async () => {
    app = await startApp({ script: fixture('esm-app.mjs'), env: flushOnlyAtShutdown() });
    await fetch(app.url('/users/1'));
    await fetch(app.url('/api/items/2'));
    expect(receiver.spans).toHaveLength(0);
    app.child.kill('SIGTERM');
    const { code, signal } = await app.exited;
    expect({ code, signal }).toEqual({ code: null, signal: 'SIGTERM' });
    const names = receiver.spans.filter((s) => s.kind === OTLP_KIND.server).map((s) => s.name);
    expect(names.sort()).toEqual(['GET /api/items/:itemId', 'GET /users/:id']);
  });

  it('lets an app that drains itself finish in-flight requests, then flushes their spans', async () => {
    app = await startApp({ script: fixture('esm-app.mjs'), env: { ...flushOnlyAtShutdown(), FIXTURE_GRACEFUL: '1' } });
    const inFlight = fetch(app.url('/slow?ms=1500'));
    await waitUntil(() => app?.logs.length !== undefined && app.logs.length > 0, { what: 'app up' });
    await new Promise((r) => setTimeout(r, 300));
    app.child.kill('SIGTERM');
    await waitUntil(() => app?.logs.some((l) => l.msg === 'draining') === true, { what: 'drain to start' });
    // new connections are refused while the in-flight request completes
    await expect(fetch(app.url('/users/1'))).rejects.toThrow();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ slept: true });
    const { code } = await app.exited;
    expect(code).toBe(0);
    expect(app.logs.some((l) => l.msg === 'drained')).toBe(true);
    expect(receiver.spans.filter((s) => s.kind === OTLP_KIND.server).map((s) => s.name)).toEqual(['GET /slow']);
  });

  it('bounds the flush by OTELKIT_SHUTDOWN_TIMEOUT_MS when the collector hangs', async () => {
    // A "collector" that accepts TCP connections and never answers: exports can only time out (10 s by default).
    const blackHole = createServer((socket) => socket.resume());
    const holePort = await freePort();
    await new Promise<void>((resolve) => blackHole.listen(holePort, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => blackHole.close(() => resolve())));
    app = await startApp({
      script: fixture('esm-app.mjs'),
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${holePort}`,
        OTEL_BSP_SCHEDULE_DELAY: '600000',
        OTEL_EXPORTER_OTLP_TIMEOUT: '30000',
        OTELKIT_SHUTDOWN_TIMEOUT_MS: '500',
      },
    });
    await fetch(app.url('/users/1'));
    const started = Date.now();
    app.child.kill('SIGTERM');
    const { signal } = await app.exited;
    expect(signal).toBe('SIGTERM');
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(450);
    expect(elapsed).toBeLessThan(5_000);
    expect(app.logs.map((l) => l.msg)).toContain('otelkit: telemetry flush did not finish within 500 ms');
  });
});

describe('configuration at start', () => {
  it('refuses to start with invalid configuration, naming the variable and the accepted values', () => {
    const result = spawnSync(process.execPath, ['--import', '@otelkit/node/register', fixture('cjs-app.cjs')], {
      cwd: fixture(''),
      env: { PATH: process.env.PATH, OTEL_TRACES_SAMPLER: 'sometimes', OTEL_BSP_MAX_QUEUE_SIZE: '-1' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('OTEL_TRACES_SAMPLER="sometimes": expected one of always_on, always_off');
    expect(result.stderr).toContain('OTEL_BSP_MAX_QUEUE_SIZE="-1": expected an integer from 1 to 1000000');
    expect(result.stdout).not.toContain('listening');
  });

  it('does nothing but serve the app when OTEL_SDK_DISABLED=true', async () => {
    app = await startApp({
      script: fixture('esm-app.mjs'),
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_SDK_DISABLED: 'true' },
    });
    expect((await fetch(app.url('/users/1'))).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1500));
    expect(receiver.spans).toHaveLength(0);
    await expect(fetch(app.metricsUrl())).rejects.toThrow();
  });
});
