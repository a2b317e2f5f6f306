import type { MeterProvider } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { OtelkitConfig } from '../config/types.js';
import { createSpanExporter } from './create-span-exporter.js';
import { createSampler } from './sampler.js';

/**
 * A tracer provider exporting through a bounded BatchSpanProcessor: when the collector is unreachable the queue
 * holds at most `maxQueueSize` spans and drops the rest (counted by the SDK's self-observability metrics on
 * /metrics), so memory stays bounded and the application keeps serving.
 */
export function createTracerProvider(
  config: OtelkitConfig,
  resource: Resource,
  meterProvider: MeterProvider,
): TracerProvider {
  const { traces } = config;
  // The plain reachability lines are warnings: OTEL_LOG_LEVEL=none or error silences them like the diagnostics.
  const quiet = config.diagLogLevel === 'none' || config.diagLogLevel === 'error';
  const exporter = createSpanExporter(
    traces,
    meterProvider,
    quiet ? undefined : (line) => process.stderr.write(`${line}\n`),
  );
  return new TracerProvider({
    resource,
    sampler: createSampler(traces.sampler, traces.samplerRatio),
    spanProcessors:
      exporter === undefined
        ? []
        : [
            new BatchSpanProcessor({
              exporter,
              maxQueueSize: traces.maxQueueSize,
              maxExportBatchSize: Math.min(traces.maxExportBatchSize, traces.maxQueueSize),
              scheduledDelayMillis: traces.scheduledDelayMillis,
              exportTimeoutMillis: traces.exportTimeoutMillis,
              selfObsMeterProvider: meterProvider,
            }),
          ],
  });
}
