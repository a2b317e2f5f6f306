import { resourceFromAttributes } from '@opentelemetry/resources';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MetricsSerializer } from '../../src/config/types.js';
import { MetricsExposition } from '../../src/metrics/metrics-exposition.js';
import { EXEMPLAR_TRACE_ID_LABEL, HTTP_LABELS, METRICS } from '../../src/names.js';

const OM = 'application/openmetrics-text;version=1.0.0';

function observe(exposition: MetricsExposition, traceId?: string) {
  exposition.httpServerDuration.observe({
    labels: { [HTTP_LABELS.method]: 'GET', [HTTP_LABELS.route]: '/x', [HTTP_LABELS.statusCode]: 200 },
    value: 0.02,
    exemplarLabels: traceId ? { [EXEMPLAR_TRACE_ID_LABEL]: traceId } : {},
  } as never);
}

describe('MetricsExposition', () => {
  it('renders OpenMetrics with exemplars, terminated by a single EOF', async () => {
    const exposition = new MetricsExposition({ runtime: false });
    const meter = exposition.createMeterProvider(resourceFromAttributes({ 'service.name': 't' })).getMeter('t');
    meter.createCounter('jobs.done').add(2);
    observe(exposition, 'a'.repeat(32));
    const { contentType, body } = await exposition.render(OM);
    expect(contentType).toMatch(/^application\/openmetrics-text/);
    expect(body).toContain(`${METRICS.httpServerDuration}_bucket{le="0.025"`);
    expect(body).toMatch(/# \{trace_id="a{32}"\} 0\.02 \d+/);
    expect(body.match(/# EOF/g)).toHaveLength(1);
    expect(body.endsWith('# EOF\n')).toBe(true);
    expect(body).toContain('target_info{service_name="t"');
    expect(body).toMatch(/# TYPE jobs_done counter\njobs_done_total\{[^}]*\} 2\n/);
  });

  it('renders text 0.0.4 without exemplars by default', async () => {
    const exposition = new MetricsExposition({ runtime: false });
    observe(exposition, 'b'.repeat(32));
    const { contentType, body } = await exposition.render(undefined);
    expect(contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(body).toContain(`${METRICS.httpServerDuration}_count`);
    expect(body).not.toContain('trace_id');
    expect(body).not.toContain('# EOF');
  });

  it("serves the application's own prom-client registries in both formats", async () => {
    const own = new Registry();
    new Counter({ name: 'orders_created_total', help: 'Orders.', registers: [own] }).inc(3);
    const exposition = new MetricsExposition({ runtime: false, registries: [own] });
    expect((await exposition.render(undefined)).body).toContain('# TYPE orders_created_total counter');
    const om = (await exposition.render(OM)).body;
    expect(om).toContain('# TYPE orders_created counter');
    expect(om).toContain('orders_created_total 3');
  });

  it('serves a duplicated metric once and warns once', async () => {
    const a = new Registry();
    const b = new Registry();
    new Counter({ name: 'dup_total', help: 'A.', registers: [a] });
    new Counter({ name: 'dup_total', help: 'B.', registers: [b] });
    const warnings: string[] = [];
    const exposition = new MetricsExposition({
      runtime: false,
      registries: [a, b],
      onWarning: (m) => warnings.push(m),
    });
    await exposition.render(undefined);
    const { body } = await exposition.render(undefined);
    expect(body.match(/# TYPE dup_total counter/g)).toHaveLength(1);
    expect(warnings).toEqual(['otelkit: metric dup_total is registered in two registries; serving the first only']);
  });

  it('includes the Node.js runtime metrics when enabled', async () => {
    const exposition = new MetricsExposition({ runtime: true });
    const { body } = await exposition.render(undefined);
    for (const name of [METRICS.eventLoopLagP99, METRICS.heapSizeUsed, METRICS.processCpu, METRICS.gcDuration]) {
      expect(body).toContain(`# TYPE ${name}`);
    }
  });

  describe("the otelkit serializer against prom-client's own (OTELKIT_METRICS_SERIALIZER=prom-client)", () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    /** The same metrics, recorded at the same (fake) time, in an exposition of each serializer. */
    function exposition(serializer: MetricsSerializer): MetricsExposition {
      const own = new Registry();
      const orders = new Counter({
        name: 'shop_orders_total',
        help: 'Orders.',
        labelNames: ['tenant'],
        registers: [own],
      });
      for (const tenant of ['a', 'b\\c', 'd"e', 'f\ng']) orders.inc({ tenant }, tenant.length);
      new Gauge({ name: 'shop_queue_depth', help: 'Depth.', registers: [own] }).set(Number.NaN);
      const sizes = new Histogram({ name: 'shop_size_bytes', help: 'Sizes.', buckets: [1, 10], registers: [own] });
      sizes.observe(3);
      const result = new MetricsExposition({ runtime: false, registries: [own], serializer });
      const meter = result.createMeterProvider(resourceFromAttributes({ 'service.name': 't' })).getMeter('t');
      meter.createCounter('jobs.done').add(2, { queue: 'mail' });
      meter.createHistogram('db.duration', { unit: 's' }).record(0.2, { 'db.system': 'postgresql' });
      observe(result, 'e'.repeat(32));
      observe(result);
      return result;
    }

    for (const accept of [OM, undefined]) {
      it(`renders the same document (${accept === undefined ? 'text' : 'OpenMetrics'})`, async () => {
        vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-11-26T12:00:00Z') });
        const ours = await exposition('otelkit').render(accept);
        const upstream = await exposition('prom-client').render(accept);
        expect(ours).toEqual(upstream);
        expect(ours.body).toContain('shop_orders_total{tenant="b\\\\c"} 3');
        expect(ours.body).toContain('jobs_done_total{queue="mail",otel_scope_name="t"} 2');
      });
    }

    it('serves counters with _total in text after an OpenMetrics scrape (prom-client renames them for good)', async () => {
      const ours = exposition('otelkit');
      const text = (await ours.render(undefined)).body;
      await ours.render(OM);
      expect((await ours.render(undefined)).body).toBe(text);
      expect(text).toContain('# TYPE shop_orders_total counter\nshop_orders_total{tenant="a"} 1\n');
    });
  });
});
