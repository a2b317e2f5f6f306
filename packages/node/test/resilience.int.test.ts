import { createServer, type Server } from 'node:net';
import { type AppProcess, OtlpGrpcReceiver, startApp } from '@otelkit/testkit';
import { freePort, waitUntil } from '@otelkit/native-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METRICS } from '../src/names.js';
import { fixture, OTLP_KIND } from './helpers.js';

/** Sends `count` requests with `concurrency` workers; returns the status codes seen (and 0 for network errors). */
async function load(app: AppProcess, count: number, concurrency = 16): Promise<Map<number, number>> {
  const statuses = new Map<number, number>();
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const status = await fetch(app.url(i % 2 ? `/users/${i}` : `/api/items/${i}`)).then(
        async (r) => {
          await r.arrayBuffer();
          return r.status;
        },
        () => 0,
      );
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return statuses;
}

/** The value of the first sample of a metric (optionally with a label fragment) on /metrics. */
async function sample(app: AppProcess, name: string, labelFragment = ''): Promise<number> {
  const body = await (await fetch(app.metricsUrl())).text();
  const line = body.split('\n').find((l) => l.startsWith(name) && l.includes(labelFragment) && !l.startsWith('#'));
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('collector unreachable', () => {
  let app: AppProcess;
  let receiver: OtlpGrpcReceiver;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    receiver = new OtlpGrpcReceiver(port);
    app = await startApp({
      script: fixture('esm-app.mjs'),
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
        OTEL_BSP_MAX_QUEUE_SIZE: '512',
        OTEL_BSP_SCHEDULE_DELAY: '200',
        OTEL_EXPORTER_OTLP_TIMEOUT: '1000',
        OTELKIT_REQUEST_LOG: 'false',
        OTELKIT_EXPRESS_LAYER_SPANS: 'true', // two spans per request: the server span and its request handler
      },
    });
  });
  afterAll(async () => {
    await app?.stop();
    await receiver?.stop();
  });

  it('keeps serving with bounded memory, counts dropped spans, and recovers when the collector returns', async () => {
    // Warm-up: JIT, heap growth to its working size. On Node 24, V8 grows the heap for about 20,000 requests of
    // this load before RSS levels off (measured: +55 MB over the first 15,000 after 5,000, then +0.3 MB over the
    // next 15,000), so the warm-up covers that before memory is compared.
    expect(await load(app, 5_000)).toEqual(new Map([[200, 5_000]]));
    expect(await load(app, 15_000)).toEqual(new Map([[200, 15_000]]));
    const warmRss = await sample(app, METRICS.processResidentMemory);
    const droppedBefore = await sample(app, METRICS.sdkSpansProcessed, 'error_type="');
    expect(await load(app, 15_000)).toEqual(new Map([[200, 15_000]]));
    const rss = await sample(app, METRICS.processResidentMemory);
    // 30,000 more spans were created against a queue of 512: memory must not follow the span count.
    // (Measured on Node 24 after the warm-up: under 1 MB over the 15,000 requests.)
    expect(rss - warmRss).toBeLessThan(32 * 1024 * 1024);
    // Every span of the outage is counted as dropped (exports fail fast, so the error is the export's, not queue_full).
    expect((await sample(app, METRICS.sdkSpansProcessed, 'error_type="')) - droppedBefore).toBeGreaterThanOrEqual(
      30_000,
    );
    expect(await sample(app, METRICS.sdkSpanQueueCapacity)).toBe(512);

    // Thousands of failed batches, yet one plain line on stderr: no gRPC status, no stack trace, no repeats.
    const endpoint = `http://127.0.0.1:${port}`;
    expect(app.stderr.trim().split('\n')).toEqual([
      `otelkit: cannot reach the collector at ${endpoint}; spans are dropped until it answers`,
    ]);

    // The collector comes back. Traffic continues, as it would in production; export resumes once the gRPC
    // channel reconnects (its backoff is capped at 1 s), and the spans created after that arrive.
    await receiver.start();
    const traffic = setInterval(() => void fetch(app.url('/users/recovered')).catch(() => {}), 250);
    try {
      await receiver.waitFor((spans) => spans.some((s) => s.kind === OTLP_KIND.server), 30_000);
    } finally {
      clearInterval(traffic);
    }
    // ... and one line says so.
    await waitUntil(() => app.stderr.includes('answers again'), { what: 'the reconnect line', timeoutMs: 10_000 });
    expect(app.stderr.trim().split('\n')).toEqual([
      `otelkit: cannot reach the collector at ${endpoint}; spans are dropped until it answers`,
      `otelkit: the collector at ${endpoint} answers again; spans are exported`,
    ]);
  }, 120_000); // 35,000 requests, then a reconnect: about 55 s alone on 2 cores, more beside other suites
});

describe('collector restarted', () => {
  /** Stands in for a collector that is down yet countable: accepts each TCP connection and closes it at once. */
  let down: Server;
  let receiver: OtlpGrpcReceiver | undefined;
  let app: AppProcess;
  const attempts: number[] = [];

  beforeAll(async () => {
    down = createServer((socket) => {
      attempts.push(Date.now());
      socket.destroy();
    });
    const port = await freePort();
    await new Promise<void>((resolve) => down.listen(port, '127.0.0.1', resolve));
    app = await startApp({
      script: fixture('esm-app.mjs'),
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
        OTEL_BSP_SCHEDULE_DELAY: '200',
        OTELKIT_REQUEST_LOG: 'false',
      },
    });
  });
  afterAll(async () => {
    await app?.stop();
    await receiver?.stop();
    down?.close();
  });

  it('reconnects about once a second while the collector is down, and exports within seconds of its return', async () => {
    const traffic = setInterval(() => void fetch(app.url(`/users/${Date.now()}`)).catch(() => {}), 100);
    try {
      // Long enough for grpc-js' exponential backoff to reach its cap (with a 5 s cap: attempts 1, 1.6, 2.6, 4.1 s
      // apart, then 5 s +-20%; with 1 s: about 1 s +-20% throughout).
      await new Promise((resolve) => setTimeout(resolve, 10_000));
      const gaps = attempts.slice(1).map((at, i) => at - (attempts[i] ?? at));
      expect(attempts.length, `connection attempts ${gaps.join(', ')} ms apart`).toBeGreaterThanOrEqual(6);
      // After the first three, the backoff is at its cap: each gap at most 1.2 s, plus scheduling slack.
      expect(Math.max(...gaps.slice(3)), `connection attempts ${gaps.join(', ')} ms apart`).toBeLessThan(2_500);

      // The collector returns on the same port: a span of a request made after that arrives within the next
      // reconnect (<= 1.2 s) and batch (200 ms) plus slack.
      const port = (down.address() as { port: number }).port;
      await new Promise<void>((resolve) => down.close(() => resolve()));
      receiver = await new OtlpGrpcReceiver(port).start();
      const returnedAt = Date.now();
      await receiver.waitFor(
        (spans) =>
          spans.some(
            (s) => s.kind === OTLP_KIND.server && Number(String(s.attributes['url.path']).split('/')[2]) >= returnedAt,
          ),
        15_000,
      );
      expect(Date.now() - returnedAt).toBeLessThan(3_000);
    } finally {
      clearInterval(traffic);
    }
  });
});
