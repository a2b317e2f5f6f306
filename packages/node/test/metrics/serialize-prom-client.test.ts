import {
  Counter,
  Gauge,
  Histogram,
  type LabelValues,
  type Metric,
  Registry,
  type RegistryContentType,
  Summary,
} from 'prom-client';
import { describe, expect, it } from 'vitest';
import { type ExpositionFormat, serializePromClient } from '../../src/metrics/serialize-prom-client.js';
import { stripEof } from '../../src/metrics/to-openmetrics.js';

/** Label values a serializer must escape (backslash, newline, double quote) or pass through (UTF-8, empty). */
const TRICKY = ['plain', 'back\\slash', 'new\nline', 'say "hi"', 'all \\ "\n" three', 'ünïcødé ✓', '', '\\n'];

/**
 * Exemplar labels: prom-client's types take them for the metric's own label names, but exemplars carry others
 * (trace_id, span_id), which its serializer writes as given.
 */
const exemplar = (labels: Record<string, string>): LabelValues<string> => labels;

/**
 * A registry with one of everything prom-client serialises: counters with and without `_total`, labels that need
 * escaping, numeric label values, exemplars on a counter and a histogram, special values, a summary, a gauge
 * filled by a collect callback, help text with a backslash and a newline.
 */
function everything(): Registry {
  const registry = new Registry();
  registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE as never); // prom-client allows exemplars only there
  const registers = [registry];
  const requests = new Counter({
    name: 'app_requests_total',
    help: 'Requests.',
    labelNames: ['path', 'code'],
    registers,
  });
  TRICKY.forEach((path, i) => requests.inc({ path, code: 200 + i }, i + 1));
  new Counter({ name: 'app_restarts', help: 'Restarts (named without _total).', registers }).inc(2);
  const jobs = new Counter({
    name: 'app_jobs_total',
    help: 'Jobs.',
    labelNames: ['queue'],
    enableExemplars: true,
    registers,
  });
  jobs.inc({
    labels: { queue: 'mail' },
    value: 3,
    exemplarLabels: exemplar({ trace_id: 'a'.repeat(32), span_id: 'b'.repeat(16) }),
  });
  jobs.inc({ labels: { queue: 'sms' }, value: 1 });
  const duration = new Histogram({
    name: 'app_duration_seconds',
    help: 'Duration, with a backslash \\ and a\nnewline in its help.',
    labelNames: ['route', 'method'],
    buckets: [0.01, 0.1, 1],
    enableExemplars: true,
    registers,
  });
  duration.observe({
    labels: { route: '/a/"b"', method: 'GET' },
    value: 0.05,
    exemplarLabels: exemplar({ trace_id: 'c'.repeat(32) }),
  });
  duration.observe({
    labels: { route: '/a/"b"', method: 'GET' },
    value: 2,
    exemplarLabels: exemplar({ trace_id: 'd'.repeat(32) }),
  });
  duration.observe({ labels: { route: 'new\nline', method: 'POST' }, value: 0.005, exemplarLabels: {} });
  const plain = new Histogram({ name: 'app_size_bytes', help: 'Sizes.', buckets: [10, 100], registers });
  plain.observe(50);
  plain.observe(5000);
  const special = new Gauge({ name: 'app_special', help: 'Special values.', labelNames: ['kind'], registers });
  special.set({ kind: 'nan' }, Number.NaN);
  special.set({ kind: 'inf' }, Number.POSITIVE_INFINITY);
  special.set({ kind: 'minus_inf' }, Number.NEGATIVE_INFINITY);
  special.set({ kind: 'tiny' }, 1e-9);
  special.set({ kind: 'huge' }, 1.5e300);
  special.set({ kind: 'negative_zero' }, -0);
  special.set({ kind: 'fraction' }, 0.1 + 0.2);
  new Gauge({
    name: 'app_collected',
    help: 'Filled at scrape time.',
    labelNames: ['shard'],
    registers,
    async collect() {
      await Promise.resolve();
      this.set({ shard: 'x' }, 7);
      this.set({ shard: 'y' }, 8);
    },
  });
  new Gauge({ name: 'app_unset', help: 'Never set: no samples.', labelNames: ['a'], registers });
  const summary = new Summary({
    name: 'app_latency_seconds',
    help: 'Latency.',
    labelNames: ['op'],
    percentiles: [0.5, 0.99],
    registers,
  });
  for (let i = 1; i <= 10; i++) summary.observe({ op: 'read' }, i / 10);
  return registry;
}

/** What prom-client's own `Registry.metrics()` writes for these metrics, without the OpenMetrics `# EOF`. */
async function upstream(metrics: Metric[], format: ExpositionFormat): Promise<string> {
  const registry = new Registry<RegistryContentType>();
  registry.setContentType(
    format === 'openmetrics' ? Registry.OPENMETRICS_CONTENT_TYPE : Registry.PROMETHEUS_CONTENT_TYPE,
  );
  for (const metric of metrics) registry.registerMetric(metric);
  const text = await registry.metrics();
  return format === 'openmetrics' ? stripEof(text) : text;
}

const metricsOf = (registry: Registry) => registry.getMetricsAsArray() as unknown as Metric[];

describe('serializePromClient', () => {
  for (const format of ['text', 'openmetrics'] as const) {
    it(`writes exactly what prom-client writes (${format})`, async () => {
      const metrics = metricsOf(everything());
      // ours first: prom-client renames counters in place for OpenMetrics
      const ours = await serializePromClient(metrics, format);
      expect(ours).toBe(await upstream(metrics, format));
      expect(ours).toContain('path="all \\\\ \\"\\n\\" three"');
      expect(ours).toContain('app_special{kind="nan"} Nan');
    });
  }

  it('writes OpenMetrics counters as families without _total, exemplars included', async () => {
    const ours = await serializePromClient(metricsOf(everything()), 'openmetrics');
    expect(ours).toContain('# TYPE app_jobs counter\n');
    expect(ours).toMatch(/\napp_jobs_total\{queue="mail"\} 3 # \{trace_id="a{32}",span_id="b{16}"\} 3 \d+(\.\d+)?\n/);
    expect(ours).toContain('# TYPE app_restarts counter\napp_restarts_total 2\n');
    expect(ours).toMatch(
      /\napp_duration_seconds_bucket\{le="0\.1",route="\/a\/\\"b\\"",method="GET"\} 1 # \{trace_id="c{32}"\} 0\.05 /,
    );
  });

  it('leaves the metrics as they were: a text scrape after an OpenMetrics one keeps the counters _total', async () => {
    const metrics = metricsOf(everything());
    const text = await serializePromClient(metrics, 'text');
    await serializePromClient(metrics, 'openmetrics');
    expect(await serializePromClient(metrics, 'text')).toBe(text);
    expect(text).toContain('# TYPE app_requests_total counter\napp_requests_total{path="plain",code="200"} 1\n');
  });

  it('agrees with prom-client on random label values and values', async () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const alphabet = ['a', 'Z', '9', ' ', '\\', '\n', '"', '{', '}', ',', '=', '#', 'é', '✓', '\t'];
    const word = () =>
      Array.from({ length: Math.floor(random() * 8) }, () => alphabet[Math.floor(random() * 15)]).join('');
    const registry = new Registry();
    const gauge = new Gauge({ name: 'fuzz', help: word(), labelNames: ['a', 'b', 'c'], registers: [registry] });
    for (let i = 0; i < 500; i++) {
      const value = [random() * 1e6 - 5e5, Math.floor(random() * 100), random() / 1e7, Number.NaN][i % 4] as number;
      gauge.set({ a: word(), b: word(), c: String(i) }, value);
    }
    const metrics = metricsOf(registry);
    for (const format of ['text', 'openmetrics'] as const) {
      expect(await serializePromClient(metrics, format)).toBe(await upstream(metrics, format));
    }
  });

  it('writes an empty exposition for no metrics, as prom-client does', async () => {
    expect(await serializePromClient([], 'text')).toBe(await upstream([], 'text'));
    expect(await serializePromClient([], 'openmetrics')).toBe(await upstream([], 'openmetrics'));
  });
});
