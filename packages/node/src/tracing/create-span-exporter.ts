import { Metadata } from '@grpc/grpc-js';
import type { MeterProvider } from '@opentelemetry/api';
import { ConsoleSpanExporter, type SpanExporter } from '@opentelemetry/sdk-trace';
import type { OtelkitConfig } from '../config/types.js';
import { OtlpGrpcSpanExporter } from './otlp-grpc-span-exporter.js';

/** Reconnect backoff cap: after a collector restart, export resumes within seconds, not grpc-js' default 2 min. */
const MAX_RECONNECT_BACKOFF_MILLIS = 5_000;

/** The span exporter named by OTEL_TRACES_EXPORTER; undefined for `none`. */
export function createSpanExporter(
  traces: OtelkitConfig['traces'],
  selfObsMeterProvider: MeterProvider,
): SpanExporter | undefined {
  switch (traces.exporter) {
    case 'none':
      return undefined;
    case 'console':
      return new ConsoleSpanExporter();
    case 'otlp': {
      const metadata = new Metadata();
      for (const [key, value] of Object.entries(traces.headers)) metadata.set(key, value);
      return new OtlpGrpcSpanExporter({
        url: traces.endpoint,
        metadata,
        compression: traces.compression,
        timeoutMillis: traces.timeoutMillis,
        keepaliveMillis: traces.keepaliveMillis,
        maxReconnectBackoffMillis: MAX_RECONNECT_BACKOFF_MILLIS,
        selfObsMeterProvider,
      });
    }
  }
}
