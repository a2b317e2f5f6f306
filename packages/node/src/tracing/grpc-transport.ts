import * as grpc from '@grpc/grpc-js';
import type { ExportResponse, IExporterTransport } from '@opentelemetry/otlp-exporter-base';
import type { CollectorReachability } from './collector-reachability.js';

export interface GrpcTransportOptions {
  /** `host:port`. */
  address: string;
  credentials: grpc.ChannelCredentials;
  metadata: grpc.Metadata;
  compression: 'gzip' | 'none';
  /** gRPC keepalive ping interval while calls are in flight; detects dead connections (NAT, collector crash). */
  keepaliveMillis: number;
  /** Upper bound of the reconnect backoff (grpc-js defaults to 120 s; a collector restart should heal faster). */
  maxReconnectBackoffMillis: number;
  userAgent: string;
  /** Told of every export's outcome: says once when the collector cannot be reached, and when it answers again. */
  reachability?: CollectorReachability;
}

const SERVICE_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';
const identity = (value: Buffer) => value;
/** The generated client's one unary method, on already-serialised protobuf bytes. */
type TraceServiceClient = grpc.Client & {
  export(
    request: Buffer,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: (error: grpc.ServiceError | null, response?: Buffer) => void,
  ): void;
};

const TraceServiceClientConstructor = grpc.makeGenericClientConstructor(
  {
    export: {
      path: SERVICE_PATH,
      requestStream: false,
      responseStream: false,
      requestSerialize: identity,
      requestDeserialize: identity,
      responseSerialize: identity,
      responseDeserialize: identity,
    },
  },
  'TraceExportService',
) as unknown as new (
  address: string,
  credentials: grpc.ChannelCredentials,
  options: grpc.ChannelOptions,
) => TraceServiceClient;

/**
 * The OTLP/gRPC transport of the upstream exporter, with the channel options it does not expose: keepalive pings
 * and a bounded reconnect backoff. Payloads arrive already serialised (protobuf) from the export delegate.
 */
export class GrpcTraceTransport implements IExporterTransport {
  private client: TraceServiceClient | undefined;

  constructor(private readonly options: GrpcTransportOptions) {}

  send(data: Uint8Array, timeoutMillis: number): Promise<ExportResponse> {
    const client = this.connect();
    return new Promise((resolve) => {
      client.export(
        Buffer.from(data),
        this.options.metadata,
        { deadline: Date.now() + timeoutMillis },
        (error: grpc.ServiceError | null, response?: Buffer) => {
          const { reachability } = this.options;
          if (error) {
            resolve({ status: 'failure', error: reachability ? reachability.failed(error) : error });
            return;
          }
          reachability?.succeeded();
          resolve({ status: 'success', data: response });
        },
      );
    });
  }

  shutdown(): void {
    this.client?.close();
    this.client = undefined;
  }

  private connect(): TraceServiceClient {
    const { keepaliveMillis, maxReconnectBackoffMillis } = this.options;
    this.client ??= new TraceServiceClientConstructor(this.options.address, this.options.credentials, {
      'grpc.keepalive_time_ms': keepaliveMillis,
      'grpc.keepalive_timeout_ms': Math.min(10_000, keepaliveMillis),
      'grpc.keepalive_permit_without_calls': 0,
      'grpc.initial_reconnect_backoff_ms': Math.min(1_000, maxReconnectBackoffMillis),
      'grpc.max_reconnect_backoff_ms': maxReconnectBackoffMillis,
      'grpc.default_compression_algorithm': this.options.compression === 'gzip' ? 2 : 0,
      'grpc.primary_user_agent': this.options.userAgent,
    });
    return this.client;
  }
}
