import { type AppProcess, freePort, OtlpGrpcReceiver, startApp } from '@otelkit/testkit';
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

    // Thousands of failed batches, yet one short line on stderr: no stack traces, repeats suppressed.
    const lines = app.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^otelkit\/otel error: 14 UNAVAILABLE: No connection established/);
    expect(lines[0]?.length).toBeLessThan(300);

    // The collector comes back. Traffic continues, as it would in production; export resumes once the gRPC
    // channel reconnects (its backoff is capped at 5 s), and the spans created after that arrive.
    await receiver.start();
    const traffic = setInterval(() => void fetch(app.url('/users/recovered')).catch(() => {}), 250);
    try {
      await receiver.waitFor((spans) => spans.some((s) => s.kind === OTLP_KIND.server), 30_000);
    } finally {
      clearInterval(traffic);
    }
  });
});
