import { randomBytes } from 'k6/crypto';

const hex = (bytes: ArrayBuffer): string =>
  Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');

/**
 * A fresh W3C trace context for one request, sampled: the demo continues this trace, so a slow request seen by k6
 * can be looked up in Jaeger by its trace id (k6 tags the request's metrics with it too, see demo-api.ts).
 */
export function newTraceContext(): { traceId: string; traceparent: string } {
  const traceId = hex(randomBytes(16));
  const spanId = hex(randomBytes(8));
  return { traceId, traceparent: `00-${traceId}-${spanId}-01` };
}
