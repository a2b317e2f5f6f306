import { DataPointType, MeterProvider, MetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { describe, expect, it } from 'vitest';
import { prometheusName, unitSuffix, withUnitSuffixes } from '../../src/metrics/prometheus-unit-suffix.js';

class TestReader extends MetricReader {
  protected override onForceFlush = () => Promise.resolve();
  protected override onShutdown = () => Promise.resolve();
}

describe('unitSuffix', () => {
  it('maps UCUM units to the Prometheus words', () => {
    expect(unitSuffix('s', false)).toBe('seconds');
    expect(unitSuffix('ms', false)).toBe('milliseconds');
    expect(unitSuffix('By', true)).toBe('bytes');
    expect(unitSuffix('By/s', false)).toBe('bytes_per_second');
    expect(unitSuffix('{request}/s', false)).toBe('per_second');
  });

  it('drops annotations and gives `1` a ratio suffix on gauges only', () => {
    expect(unitSuffix('{span}', false)).toBe('');
    expect(unitSuffix('{connection}', true)).toBe('');
    expect(unitSuffix('', false)).toBe('');
    expect(unitSuffix('1', true)).toBe('ratio');
    expect(unitSuffix('1', false)).toBe('');
  });
});

describe('prometheusName', () => {
  it('appends the unit unless the name already ends with it', () => {
    expect(prometheusName('db.client.operation.duration', 's', false)).toBe('db.client.operation.duration_seconds');
    expect(prometheusName('http_server_request_duration_seconds', 's', false)).toBe(
      'http_server_request_duration_seconds',
    );
    expect(prometheusName('otel.sdk.span.live', '{span}', true)).toBe('otel.sdk.span.live');
  });
});

describe('withUnitSuffixes', () => {
  it('serialises instrument names with unit suffixes and counters with _total', async () => {
    const reader = new TestReader();
    const provider = new MeterProvider({ readers: [reader] });
    const meter = provider.getMeter('test');
    meter.createHistogram('db.client.operation.duration', { unit: 's' }).record(0.2);
    meter.createCounter('process.cpu.time', { unit: 's' }).add(1.5);
    meter.createUpDownCounter('db.client.connection.count', { unit: '{connection}' }).add(2);
    meter.createCounter('otel.sdk.span.started', { unit: '{span}' }).add(1);
    const { resourceMetrics } = await reader.collect();
    const renamed: ResourceMetrics = withUnitSuffixes(resourceMetrics);
    const text = new PrometheusSerializer(undefined, false, undefined, true, true).serialize(renamed);
    expect(text).toMatch(/^# TYPE db_client_operation_duration_seconds histogram$/m);
    expect(text).toMatch(/^# TYPE process_cpu_time_seconds_total counter$/m);
    expect(text).toMatch(/^# TYPE db_client_connection_count gauge$/m);
    expect(text).toMatch(/^# TYPE otel_sdk_span_started_total counter$/m);
    // The collected data itself is not changed.
    const names = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics.map((m) => m.descriptor.name));
    expect(names).toContain('db.client.operation.duration');
    expect(renamed.scopeMetrics[0]?.metrics.find((m) => m.dataPointType === DataPointType.HISTOGRAM)).toBeDefined();
    await provider.shutdown();
  });
});
