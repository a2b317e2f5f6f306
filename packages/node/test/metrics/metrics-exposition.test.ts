import { resourceFromAttributes } from '@opentelemetry/resources';
import { Counter, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
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
});
