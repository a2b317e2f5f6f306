import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { withoutInstruments } from '../../src/metrics/without-instruments.js';

async function collect(record: (provider: ReturnType<typeof withoutInstruments>) => void) {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
  const provider = new MeterProvider({ readers: [reader] });
  record(withoutInstruments(provider, ['http.server.request.duration']));
  const { resourceMetrics } = await reader.collect();
  await provider.shutdown();
  return resourceMetrics.scopeMetrics.flatMap((s) => s.metrics.map((m) => m.descriptor.name));
}

describe('withoutInstruments', () => {
  it('hands out no-op instruments for the dropped names: nothing is recorded for them', async () => {
    const names = await collect((provider) => {
      const meter = provider.getMeter('@opentelemetry/instrumentation-http');
      meter.createHistogram('http.server.request.duration').record(0.1, { 'http.route': '/x' });
      meter.createHistogram('http.client.request.duration').record(0.2);
    });
    expect(names).toEqual(['http.client.request.duration']);
  });

  it('delegates every other kind of instrument to the real meter', async () => {
    const names = await collect((provider) => {
      const meter = provider.getMeter('scope', '1.0.0');
      meter.createCounter('c').add(1);
      meter.createUpDownCounter('u').add(-1);
      meter.createGauge('g').record(3);
      meter.createObservableGauge('og').addCallback((result) => result.observe(1));
    });
    expect(names.sort()).toEqual(['c', 'g', 'og', 'u']);
  });
});
