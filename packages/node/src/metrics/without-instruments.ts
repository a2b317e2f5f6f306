import {
  type BatchObservableCallback,
  type Counter,
  createNoopMeter,
  type Gauge,
  type Histogram,
  type Meter,
  type MeterOptions,
  type MeterProvider,
  type MetricOptions,
  type Observable,
  type ObservableCounter,
  type ObservableGauge,
  type ObservableUpDownCounter,
  type UpDownCounter,
} from '@opentelemetry/api';

const NOOP_METER = createNoopMeter();

/** A meter that hands out no-op instruments for the dropped names and the real ones otherwise. */
class FilteringMeter implements Meter {
  constructor(
    private readonly meter: Meter,
    private readonly dropped: ReadonlySet<string>,
  ) {}

  private pick(name: string): Meter {
    return this.dropped.has(name) ? NOOP_METER : this.meter;
  }

  createHistogram(name: string, options?: MetricOptions): Histogram {
    return this.pick(name).createHistogram(name, options);
  }
  createCounter(name: string, options?: MetricOptions): Counter {
    return this.pick(name).createCounter(name, options);
  }
  createUpDownCounter(name: string, options?: MetricOptions): UpDownCounter {
    return this.pick(name).createUpDownCounter(name, options);
  }
  createGauge(name: string, options?: MetricOptions): Gauge {
    return this.pick(name).createGauge(name, options);
  }
  createObservableGauge(name: string, options?: MetricOptions): ObservableGauge {
    return this.pick(name).createObservableGauge(name, options);
  }
  createObservableCounter(name: string, options?: MetricOptions): ObservableCounter {
    return this.pick(name).createObservableCounter(name, options);
  }
  createObservableUpDownCounter(name: string, options?: MetricOptions): ObservableUpDownCounter {
    return this.pick(name).createObservableUpDownCounter(name, options);
  }
  addBatchObservableCallback(callback: BatchObservableCallback, observables: Observable[]): void {
    this.meter.addBatchObservableCallback(callback, observables);
  }
  removeBatchObservableCallback(callback: BatchObservableCallback, observables: Observable[]): void {
    this.meter.removeBatchObservableCallback(callback, observables);
  }
}

/**
 * The meter provider handed to the instrumentations: instruments named in `dropped` are no-ops, so measurements
 * otelkit replaces (http.server.request.duration, see http-server-duration.ts) cost nothing per request. A DROP
 * view alone discards them only after the SDK has hashed their attributes and recorded them (found by
 * `npm run bench`'s CPU profile: about 1% of an Express + Postgres service's CPU at full load).
 */
export function withoutInstruments(provider: MeterProvider, dropped: Iterable<string>): MeterProvider {
  const names = new Set(dropped);
  return {
    getMeter: (name: string, version?: string, options?: MeterOptions) =>
      new FilteringMeter(provider.getMeter(name, version, options), names),
  };
}
