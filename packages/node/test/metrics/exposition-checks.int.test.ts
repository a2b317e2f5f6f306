import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PrometheusInstance, scrapeConfig, toolBinary, waitUntil } from '@otelkit/native-runtime';
import { sampleLines } from '@otelkit/testkit';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { Counter, Histogram, Registry } from 'prom-client';
import { afterAll, describe, expect, it } from 'vitest';
import type { MetricsSerializer } from '../../src/config/types.js';
import { MetricsExposition } from '../../src/metrics/metrics-exposition.js';
import { EXEMPLAR_TRACE_ID_LABEL, HTTP_LABELS, METRICS } from '../../src/names.js';

/** Label values that need escaping in both formats, and one that does not survive a sloppy parser. */
const TENANTS = ['plain', 'back\\slash', 'new\nline', 'say "hi"', 'all \\ "\n" three', 'ünïcødé ✓', ''];
const TRACE_ID = 'f'.repeat(32);

/** otelkit's metrics with the application's registry, and OTel metrics when `otel` is set. */
function exposition(serializer: MetricsSerializer, otel: boolean, runtime = true): MetricsExposition {
  const own = new Registry();
  const operations = new Counter({
    name: 'shop_tenant_operations_total',
    help: 'Operations per tenant, with a backslash \\ in its help.',
    labelNames: ['tenant'],
    registers: [own],
  });
  TENANTS.forEach((tenant, i) => operations.inc({ tenant }, i + 1));
  const sizes = new Histogram({ name: 'shop_payload_bytes', help: 'Sizes.', labelNames: ['tenant'], registers: [own] });
  for (const tenant of TENANTS) sizes.observe({ tenant }, 42);
  const result = new MetricsExposition({ runtime, registries: [own], serializer });
  const meter = result.createMeterProvider(resourceFromAttributes({ 'service.name': 'checks' })).getMeter('checks');
  if (otel) {
    meter.createCounter('jobs.done').add(2, { queue: 'say "hi"' });
    meter.createHistogram('db.duration', { unit: 's' }).record(0.2, { 'db.system': 'postgresql' });
  }
  result.httpServerDuration.observe({
    labels: { [HTTP_LABELS.method]: 'GET', [HTTP_LABELS.route]: '/orders/:id', [HTTP_LABELS.statusCode]: 200 },
    value: 0.02,
    exemplarLabels: { [EXEMPLAR_TRACE_ID_LABEL]: TRACE_ID },
  } as never);
  return result;
}

describe('the /metrics exposition, checked by Prometheus itself', () => {
  for (const serializer of ['otelkit', 'prom-client'] as const) {
    for (const otel of [true, false]) {
      it(`passes \`promtool check metrics\` in text format (${serializer} serializer, ${otel ? 'with' : 'no'} OTel metrics)`, async () => {
        const { body } = await exposition(serializer, otel).render(undefined);
        expect(execFileSync(toolBinary('promtool'), ['check', 'metrics'], { input: body, encoding: 'utf8' })).toBe('');
      });
    }
  }

  describe('a real Prometheus scraping OpenMetrics from the otelkit serializer', () => {
    let server: Server | undefined;
    let prometheus: PrometheusInstance | undefined;
    afterAll(async () => {
      await prometheus?.stop();
      server?.close();
    });

    it('stores every sample, the escaped label values exactly and the exemplar', async () => {
      // no runtime metrics: their series come and go (GC kinds, handle types), and the sample count is compared
      const served = exposition('otelkit', true, false);
      server = createServer(served.handler());
      await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
      const target = `127.0.0.1:${(server.address() as AddressInfo).port}`;
      prometheus = await PrometheusInstance.start({ config: scrapeConfig({ checks: [target] }) });
      const instance = prometheus;
      await waitUntil(async () => (await instance.query('up{job="checks"} == 1')).length === 1, {
        what: 'a successful scrape',
        timeoutMs: 20_000,
      });
      const { body } = await served.render('application/openmetrics-text;version=1.0.0');
      const [scraped] = await instance.query('scrape_samples_scraped{job="checks"}');
      expect(Number(scraped?.value[1])).toBe(sampleLines(body).length);
      const tenants = await instance.query('shop_tenant_operations_total');
      expect(tenants.map((s) => s.metric.tenant ?? '').sort()).toEqual([...TENANTS].sort());
      const now = Date.now() / 1000;
      const exemplars = await instance.api<Array<{ exemplars: Array<{ labels: Record<string, string> }> }>>(
        'query_exemplars',
        { query: `${METRICS.httpServerDuration}_bucket`, start: String(now - 300), end: String(now + 60) },
      );
      expect(exemplars.flatMap((s) => s.exemplars.map((e) => e.labels[EXEMPLAR_TRACE_ID_LABEL]))).toContain(TRACE_ID);
    });
  });
});
