import { randomBytes } from 'node:crypto';
import { request } from 'node:http';

export interface SpansFromAddress {
  /** The collector's OTLP/HTTP base URL (http://127.0.0.1:<port>). */
  endpoint: string;
  /** The source address of the connection (a pod's loopback IP): what k8s_attributes' `connection` source sees. */
  localAddress: string;
  serviceName: string;
  /** Spans to send, one trace each. */
  count: number;
  /** Extra resource attributes (none by default: no k8s.pod.* hint, so only the connection can identify the pod). */
  resource?: Record<string, string>;
}

/**
 * Sends `count` one-span traces over OTLP/HTTP (JSON encoding) from a socket bound to `localAddress`, as an
 * application in a pod without the downward-API environment would: the connection's source IP is the only pod
 * identifier. Resolves with the trace ids; rejects unless the collector answers 2xx.
 */
export async function sendSpansFromAddress(options: SpansFromAddress): Promise<string[]> {
  const now = BigInt(Date.now()) * 1_000_000n;
  const traceIds = Array.from({ length: options.count }, () => randomBytes(16).toString('hex'));
  const attributes = Object.entries({ 'service.name': options.serviceName, ...options.resource }).map(
    ([key, value]) => ({ key, value: { stringValue: value } }),
  );
  const body = JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes },
        scopeSpans: [
          {
            scope: { name: 'otelkit-k8s-correlation-test' },
            spans: traceIds.map((traceId, i) => ({
              traceId,
              spanId: randomBytes(8).toString('hex'),
              name: `connection-span-${i}`,
              kind: 2,
              startTimeUnixNano: String(now),
              endTimeUnixNano: String(now + 1_000_000n),
            })),
          },
        ],
      },
    ],
  });
  const url = new URL('/v1/traces', options.endpoint);
  await new Promise<void>((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        localAddress: options.localAddress,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        // a fresh connection: never a pooled socket bound to another address
        agent: false,
      },
      (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () =>
          (response.statusCode ?? 0) < 300
            ? resolve()
            : reject(new Error(`OTLP/HTTP export from ${options.localAddress}: ${response.statusCode} ${text}`)),
        );
      },
    );
    req.once('error', reject);
    req.end(body);
  });
  return traceIds;
}
