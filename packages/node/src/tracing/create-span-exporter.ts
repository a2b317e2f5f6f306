import { Metadata } from '@grpc/grpc-js';
import type { MeterProvider } from '@opentelemetry/api';
import { ConsoleSpanExporter, type SpanExporter } from '@opentelemetry/sdk-trace';
import type { OtelkitConfig } from '../config/types.js';
import { OtlpGrpcSpanExporter } from './otlp-grpc-span-exporter.js';

/**
 * Reconnect backoff cap. While the collector is unreachable, grpc-js retries the connection on an exponential backoff
 * (1 s, 1.6 s, 2.6 s, 4.1 s... +-20% jitter, up to 2 min by default) and fails every export meanwhile, so a restarted
 * collector gets spans only at the next attempt: up to 6 s later with a 5 s cap (GRPC_TRACE=subchannel showed attempts
 * 4.6-5.3 s apart). Capped at the initial 1 s, it is one connection attempt a second while the collector is down, and
 * export resumes within about a second of its return (test/resilience.int.test.ts).
 */
const MAX_RECONNECT_BACKOFF_MILLIS = 1_000;

/** The span exporter named by OTEL_TRACES_EXPORTER; undefined for `none`. */
export function createSpanExporter(
  traces: OtelkitConfig['traces'],
  selfObsMeterProvider: MeterProvider,
  reachabilityLines?: (line: string) => void,
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
        reachabilityLines,
      });
    }
  }
}
