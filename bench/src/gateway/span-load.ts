import { randomBytes } from 'node:crypto';

/**
 * The gateway benchmark's other generator (`npm run bench:gateway -- --generator node`; the default is telemetrygen,
 * telemetrygen-load.ts): OTLP/HTTP JSON, as an application exporting JSON sends it, which costs the agent more to
 * decode than protobuf. `spansPerSecond` spans in requests of `tracesPerRequest` traces of `spansPerTrace` spans
 * each; one trace in 20 has an error span, so the tail sampler keeps some. Returns the spans the collector
 * acknowledged.
 */
export async function sendSpans(options: {
  endpoint: string;
  spansPerSecond: number;
  seconds: number;
  spansPerTrace?: number;
  tracesPerRequest?: number;
}): Promise<{ sent: number; acknowledged: number }> {
  const spansPerTrace = options.spansPerTrace ?? 5;
  const tracesPerRequest = options.tracesPerRequest ?? 20;
  const spansPerRequest = spansPerTrace * tracesPerRequest;
  const requestsPerSecond = options.spansPerSecond / spansPerRequest;
  const total = Math.round(requestsPerSecond * options.seconds);
  const url = new URL('/v1/traces', options.endpoint);
  let sent = 0;
  let acknowledged = 0;
  const started = Date.now();
  const inFlight = new Set<Promise<void>>();
  for (let i = 0; i < total; i++) {
    // paced against the start, so a slow request does not slow the rate down
    const due = started + (i * 1000) / requestsPerSecond;
    if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
    const body = requestBody(tracesPerRequest, spansPerTrace);
    const request = fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
      .then(async (response) => {
        await response.arrayBuffer();
        if (response.ok) acknowledged += spansPerRequest;
      })
      .catch(() => undefined)
      .finally(() => inFlight.delete(request));
    inFlight.add(request);
    sent += spansPerRequest;
  }
  await Promise.all(inFlight);
  return { sent, acknowledged };
}

let traceCounter = 0;

function requestBody(traces: number, spansPerTrace: number): string {
  const now = BigInt(Date.now()) * 1_000_000n;
  const spans = [];
  for (let t = 0; t < traces; t++) {
    const traceId = randomBytes(16).toString('hex');
    const failed = traceCounter++ % 20 === 0;
    const root = randomBytes(8).toString('hex');
    for (let s = 0; s < spansPerTrace; s++) {
      spans.push({
        traceId,
        spanId: s === 0 ? root : randomBytes(8).toString('hex'),
        ...(s === 0 ? {} : { parentSpanId: root }),
        name: s === 0 ? 'GET /items/:id' : `pg.query:SELECT ${s}`,
        kind: s === 0 ? 2 : 3,
        startTimeUnixNano: String(now),
        endTimeUnixNano: String(now + 5_000_000n),
        attributes: [
          { key: 'http.request.method', value: { stringValue: 'GET' } },
          { key: 'http.route', value: { stringValue: '/items/:id' } },
          { key: 'http.response.status_code', value: { intValue: failed && s === 0 ? 500 : 200 } },
        ],
        status: { code: failed && s === 0 ? 2 : 0 },
      });
    }
  }
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'bench-gateway-load' } }] },
        scopeSpans: [{ scope: { name: 'otelkit-bench' }, spans }],
      },
    ],
  });
}
