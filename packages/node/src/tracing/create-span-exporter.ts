import { Metadata } from '@grpc/grpc-js';
import type { MeterProvider } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { ConsoleSpanExporter, type SpanExporter } from '@opentelemetry/sdk-trace';
import type { OtelkitConfig } from '../config/types.js';

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
      return new OTLPTraceExporter({
        url: traces.endpoint,
        compression: traces.compression === 'gzip' ? CompressionAlgorithm.GZIP : CompressionAlgorithm.NONE,
        timeoutMillis: traces.timeoutMillis,
        metadata,
        selfObsMeterProvider,
      });
    }
  }
}
