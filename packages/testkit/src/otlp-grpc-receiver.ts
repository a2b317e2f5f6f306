import { createRequire } from 'node:module';
import * as grpc from '@grpc/grpc-js';

const require = createRequire(import.meta.url);
// protobufjs-generated OTLP decoders, from an older @opentelemetry/otlp-transformer (devDependency alias).
const { opentelemetry } = require('otlp-proto/build/src/generated/root.js');
const ExportTraceServiceRequest = opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
const ExportTraceServiceResponse = opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;

type AnyValue = {
  stringValue?: string | null;
  intValue?: { toString(): string } | null;
  boolValue?: boolean | null;
  doubleValue?: number | null;
  arrayValue?: { values?: AnyValue[] | null } | null;
};
type KeyValue = { key: string; value?: AnyValue };

/** An attribute value as received: a scalar, or an array of them (e.g. `process.command_args`). */
export type ReceivedValue = string | number | boolean | ReceivedValue[];

/** A received span, flattened: resource and span attributes as plain records. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  scope: string;
  attributes: Record<string, ReceivedValue>;
  resource: Record<string, ReceivedValue>;
  /** W3C `tracestate` of the span context ('' when none). */
  traceState: string;
  /** Status code as sent over OTLP (UNSET=0, OK=1, ERROR=2). */
  statusCode: number;
  /** Names of the span's events (`exception`, ...). */
  events: string[];
  /** End minus start time, in milliseconds. */
  durationMillis: number;
}

/** The value of an attribute; a kind this receiver does not decode (kvlist, bytes) is shown as such, not dropped. */
function toValue(value: AnyValue | undefined): ReceivedValue {
  if (value?.stringValue !== undefined && value.stringValue !== null) return value.stringValue;
  if (value?.intValue !== undefined && value.intValue !== null) return Number(value.intValue.toString());
  if (value?.boolValue !== undefined && value.boolValue !== null) return value.boolValue;
  if (value?.doubleValue !== undefined && value.doubleValue !== null) return value.doubleValue;
  if (value?.arrayValue !== undefined && value.arrayValue !== null) return (value.arrayValue.values ?? []).map(toValue);
  return `<undecoded ${JSON.stringify(value)}>`;
}

function toRecord(attributes: KeyValue[] | undefined): Record<string, ReceivedValue> {
  const out: Record<string, ReceivedValue> = {};
  for (const { key, value } of attributes ?? []) out[key] = toValue(value);
  return out;
}

const hex = (bytes: Uint8Array | undefined) => Buffer.from(bytes ?? []).toString('hex');

/**
 * A real OTLP/gRPC trace receiver (grpc-js server, protobuf decoding) on 127.0.0.1, for tests. It can be stopped and
 * started again on the same port to simulate a collector outage.
 */
export class OtlpGrpcReceiver {
  readonly spans: ReceivedSpan[] = [];
  exportCalls = 0;
  private server: grpc.Server | undefined;
  private waiters: Array<() => void> = [];

  constructor(public port = 0) {}

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    const server = new grpc.Server();
    server.addService(
      {
        Export: {
          path: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
          requestStream: false,
          responseStream: false,
          requestSerialize: (v: unknown) => Buffer.from(ExportTraceServiceRequest.encode(v).finish()),
          requestDeserialize: (b: Buffer) => ExportTraceServiceRequest.decode(b),
          responseSerialize: (v: unknown) => Buffer.from(ExportTraceServiceResponse.encode(v).finish()),
          responseDeserialize: (b: Buffer) => ExportTraceServiceResponse.decode(b),
        },
      },
      {
        Export: (call: grpc.ServerUnaryCall<any, any>, callback: grpc.sendUnaryData<unknown>) => {
          this.exportCalls++;
          this.collect(call.request);
          callback(null, {});
        },
      },
    );
    this.port = await new Promise<number>((resolve, reject) =>
      server.bindAsync(`127.0.0.1:${this.port}`, grpc.ServerCredentials.createInsecure(), (err, port) =>
        err ? reject(err) : resolve(port),
      ),
    );
    this.server = server;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) server.forceShutdown();
  }

  /** Resolves with the matching spans once `predicate` holds, or rejects after `timeoutMs`. */
  async waitFor(predicate: (spans: ReceivedSpan[]) => boolean, timeoutMs = 15_000): Promise<ReceivedSpan[]> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.spans)) {
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(
          `timed out after ${timeoutMs} ms; received ${this.spans.length} spans: ${this.spans
            .slice(-10)
            .map((s) => s.name)
            .join(', ')}`,
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.spans;
  }

  private collect(request: any): void {
    for (const resourceSpans of request.resourceSpans ?? []) {
      const resource = toRecord(resourceSpans.resource?.attributes);
      for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
        for (const span of scopeSpans.spans ?? []) {
          this.spans.push({
            traceId: hex(span.traceId),
            spanId: hex(span.spanId),
            parentSpanId: hex(span.parentSpanId),
            name: span.name,
            kind: span.kind,
            scope: scopeSpans.scope?.name ?? '',
            attributes: toRecord(span.attributes),
            resource,
            traceState: span.traceState ?? '',
            statusCode: span.status?.code ?? 0,
            events: (span.events ?? []).map((event: { name: string }) => event.name),
            durationMillis: (Number(span.endTimeUnixNano ?? 0) - Number(span.startTimeUnixNano ?? 0)) / 1e6,
          });
        }
      }
    }
    for (const wake of this.waiters.splice(0)) wake();
  }
}
