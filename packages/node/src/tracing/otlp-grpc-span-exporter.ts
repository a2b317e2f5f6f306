import type { Metadata } from '@grpc/grpc-js';
import * as grpc from '@grpc/grpc-js';
import type { MeterProvider } from '@opentelemetry/api';
import {
  createOtlpNetworkExportDelegate,
  getSharedConfigurationDefaults,
  OTLPExporterBase,
} from '@opentelemetry/otlp-exporter-base';
import { createOtlpGrpcExporterMetrics } from '@opentelemetry/otlp-grpc-exporter-base';
import { ProtobufTraceSerializer, TraceExporterMetricsHelper } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import { CollectorReachability } from './collector-reachability.js';
import { GrpcTraceTransport } from './grpc-transport.js';

export interface OtlpGrpcSpanExporterOptions {
  /** `http://host:port` (plaintext) or `https://host:port` (TLS with the system roots). */
  url: string;
  metadata: Metadata;
  compression: 'gzip' | 'none';
  timeoutMillis: number;
  keepaliveMillis: number;
  maxReconnectBackoffMillis: number;
  selfObsMeterProvider: MeterProvider;
  /** Where the plain "cannot reach the collector" and "answers again" lines go; none when undefined. */
  reachabilityLines?: (line: string) => void;
}

/**
 * OTLP/gRPC span exporter assembled from the upstream building blocks (protobuf serializer, export delegate with
 * its retry and concurrency limit, the SDK's exporter self-observability metrics) over otelkit's transport.
 */
export class OtlpGrpcSpanExporter extends OTLPExporterBase<ReadableSpan[]> implements SpanExporter {
  constructor(options: OtlpGrpcSpanExporterOptions) {
    const url = new URL(options.url);
    const transport = new GrpcTraceTransport({
      address: url.host,
      credentials: url.protocol === 'https:' ? grpc.credentials.createSsl() : grpc.credentials.createInsecure(),
      metadata: options.metadata,
      compression: options.compression,
      keepaliveMillis: options.keepaliveMillis,
      maxReconnectBackoffMillis: options.maxReconnectBackoffMillis,
      userAgent: 'otelkit-node',
      reachability:
        options.reachabilityLines === undefined
          ? undefined
          : new CollectorReachability(options.url, options.reachabilityLines),
    });
    const metrics = createOtlpGrpcExporterMetrics(
      'otlp_grpc_span_exporter',
      TraceExporterMetricsHelper,
      options.url,
      options.selfObsMeterProvider,
    );
    super(
      createOtlpNetworkExportDelegate(
        { ...getSharedConfigurationDefaults(), timeoutMillis: options.timeoutMillis, compression: options.compression },
        ProtobufTraceSerializer,
        metrics,
        transport,
      ),
    );
  }
}
