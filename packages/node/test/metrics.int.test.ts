import { execFileSync } from 'node:child_process';
import {
  type AppProcess,
  floodRandomPaths,
  labelOf,
  OtlpGrpcReceiver,
  sampleLines,
  seriesOf,
  startApp,
} from '@otelkit/testkit';
import { PostgresInstance, PrometheusInstance, scrapeConfig, toolBinary, waitUntil } from '@otelkit/native-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unitSuffix } from '../src/metrics/prometheus-unit-suffix.js';
import { EXEMPLAR_TRACE_ID_LABEL, HTTP_LABELS, METRICS, OTHER_METHOD } from '../src/names.js';
import { fixture } from './helpers.js';

const OPENMETRICS = 'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5';

let receiver: OtlpGrpcReceiver;
let postgres: PostgresInstance;
let app: AppProcess;

beforeAll(async () => {
  receiver = await new OtlpGrpcReceiver().start();
  postgres = await PostgresInstance.create();
  app = await startApp({
    script: fixture('programmatic-app.mjs'),
    nodeArgs: [],
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, DATABASE_URL: postgres.url() },
  });
  for (const path of ['/users/1', '/users/2', '/api/items/3', '/db', '/fetch', '/error', '/nope']) {
    await fetch(app.url(path));
  }
});
afterAll(async () => {
  await app?.stop();
  await receiver?.stop();
  await postgres?.destroy();
});

const scrape = async (accept?: string) => {
  const response = await fetch(app.metricsUrl(), { headers: accept ? { accept } : {} });
  return { contentType: response.headers.get('content-type'), body: await response.text() };
};

describe('/metrics', () => {
  it('is served on its own port and not on the application port', async () => {
    expect((await fetch(app.metricsUrl())).status).toBe(200);
    expect((await fetch(app.url('/metrics'))).status).toBe(404);
  });

  it('passes `promtool check metrics` (the pinned Prometheus 3 promtool) in text format', async () => {
    const { contentType, body } = await scrape();
    expect(contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    const result = execFileSync(toolBinary('promtool'), ['check', 'metrics'], { input: body, encoding: 'utf8' });
    expect(result).toBe('');
  });

  it('exports the RED histogram by route template, runtime metrics and OTel instrumentation metrics', async () => {
    const { body } = await scrape();
    const counts = seriesOf(body, `${METRICS.httpServerDuration}_count`);
    const labels = (route: string, status: number) =>
      `${HTTP_LABELS.method}="GET",${HTTP_LABELS.route}="${route}",${HTTP_LABELS.statusCode}="${status}"`;
    // /users/1, /users/2, and /users/7 called by /fetch
    expect(counts).toContain(`${METRICS.httpServerDuration}_count{${labels('/users/:id', 200)}} 3`);
    expect(counts).toContain(`${METRICS.httpServerDuration}_count{${labels('/api/items/:itemId', 200)}} 1`);
    expect(counts).toContain(`${METRICS.httpServerDuration}_count{${labels('/error', 500)}} 1`);
    expect(counts).toContain(`${METRICS.httpServerDuration}_count{${labels('', 404)}} 1`);
    for (const name of [
      METRICS.eventLoopLagP99,
      METRICS.gcDuration,
      METRICS.heapSizeUsed,
      METRICS.processCpu,
      METRICS.processResidentMemory,
      METRICS.activeHandles,
      METRICS.dbClientOperationDuration,
      METRICS.dbClientConnections,
      METRICS.httpClientDuration,
      METRICS.targetInfo,
    ]) {
      expect(body, name).toMatch(new RegExp(`^# TYPE ${name} `, 'm'));
    }
    // The app's own prom-client registry is served alongside.
    expect(body).toContain('fixture_orders_total 5');
  });

  it('names every family by Prometheus conventions: unit suffix, _total on counters', async () => {
    const { body } = await scrape();
    const counters = [...body.matchAll(/^# TYPE (\S+) counter$/gm)].map((m) => m[1] ?? '');
    expect(counters.length).toBeGreaterThan(3);
    for (const name of counters) expect(name, name).toMatch(/_total$/);
    const types = new Map([...body.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => [m[1] ?? '', m[2] ?? '']));
    const units = [...body.matchAll(/^# UNIT (\S+) (\S+)$/gm)].map((m) => [m[1] ?? '', m[2] ?? ''] as const);
    expect(units.length).toBeGreaterThan(0);
    for (const [name, unit] of units) {
      const suffix = unitSuffix(unit, types.get(name) === 'gauge');
      if (suffix !== '') expect(name.replace(/_total$/, ''), `${name} (${unit})`).toMatch(new RegExp(`_${suffix}$`));
    }
  });

  it('carries trace-id exemplars in OpenMetrics, pointing at exported traces', async () => {
    const { contentType, body } = await scrape(OPENMETRICS);
    expect(contentType).toMatch(/^application\/openmetrics-text; version=1\.0\.0/);
    expect(body.endsWith('# EOF\n')).toBe(true);
    const exemplarIds = [...body.matchAll(new RegExp(`# \\{${EXEMPLAR_TRACE_ID_LABEL}="([0-9a-f]{32})"`, 'g'))].map(
      (m) => m[1],
    );
    expect(exemplarIds.length).toBeGreaterThan(0);
    await receiver.waitFor((spans) => exemplarIds.every((id) => spans.some((s) => s.traceId === id)));
  });

  it('is scraped by a real Prometheus, which stores the exemplars', async () => {
    const prometheus = await PrometheusInstance.start({
      config: scrapeConfig({ fixture: [`127.0.0.1:${app.metricsPort}`] }),
    });
    try {
      await waitUntil(async () => (await prometheus.query('up{job="fixture"} == 1')).length === 1, {
        what: 'a successful scrape',
        timeoutMs: 20_000,
      });
      await fetch(app.url('/users/9'));
      let traceIds: string[] = [];
      await waitUntil(
        async () => {
          const now = Date.now() / 1000;
          const data = await prometheus.api<Array<{ exemplars: Array<{ labels: Record<string, string> }> }>>(
            'query_exemplars',
            { query: `${METRICS.httpServerDuration}_bucket`, start: String(now - 300), end: String(now + 60) },
          );
          traceIds = data.flatMap((series) => series.exemplars.map((e) => e.labels[EXEMPLAR_TRACE_ID_LABEL] ?? ''));
          return traceIds.length > 0;
        },
        { what: 'exemplars in Prometheus', timeoutMs: 20_000 },
      );
      await receiver.waitFor((spans) => traceIds.every((id) => spans.some((s) => s.traceId === id)));
      const scrapeErrors = await prometheus.query('scrape_samples_post_metric_relabeling{job="fixture"}');
      expect(Number(scrapeErrors[0]?.value[1])).toBeGreaterThan(50);
    } finally {
      await prometheus.stop();
    }
  });

  it('keeps series bounded under 10,000 random paths and unusual methods', async () => {
    const before = sampleLines((await scrape()).body).length;
    const { statuses } = await floodRandomPaths(app.url('/'), { count: 10_000 });
    expect(statuses.get(0) ?? 0).toBe(0);
    const { body } = await scrape();
    const after = sampleLines(body).length;
    const routes = new Set(
      seriesOf(body, `${METRICS.httpServerDuration}_count`).map((l) => labelOf(l, HTTP_LABELS.route)),
    );
    expect([...routes].sort()).toEqual(['', '/api/items/:itemId', '/db', '/error', '/fetch', '/users/:id']);
    const unmatched = seriesOf(body, `${METRICS.httpServerDuration}_count`).filter((l) => l.includes('http_route=""'));
    expect(unmatched.map((l) => labelOf(l, HTTP_LABELS.method)).sort()).toEqual([
      'DELETE',
      'GET',
      'POST',
      OTHER_METHOD,
    ]);
    // New series: one histogram (16 buckets + sum + count) per unmatched method, plus small runtime churn.
    expect(after - before).toBeLessThan(4 * 18 + 50);
  }, 180_000);
});
