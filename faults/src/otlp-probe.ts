import { randomBytes } from 'node:crypto';

/** One trace the probe sent, and whether the collector acknowledged it (HTTP 200, nothing rejected). */
export interface ProbeTrace {
  traceId: string;
  spanIds: string[];
  sentAt: number;
  acknowledged: boolean;
}

/**
 * A steady OTLP/HTTP (JSON) sender of traces with known ids, for fault tests that must know exactly which spans a
 * collector acknowledged: `rate` traces per second, `spansPerTrace` spans each, one request per trace. A request that
 * fails, or whose answer reports rejected spans, is not acknowledged.
 */
export class OtlpProbe {
  readonly traces: ProbeTrace[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly endpoint: string,
    private readonly options: { rate: number; spansPerTrace: number; serviceName: string },
  ) {}

  start(): this {
    this.timer = setInterval(() => {
      const sending = this.send().finally(() => this.inFlight.delete(sending));
      this.inFlight.add(sending);
    }, 1000 / this.options.rate);
    return this;
  }

  /** Stops sending and waits for the requests still in flight. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all(this.inFlight);
  }

  get acknowledged(): ProbeTrace[] {
    return this.traces.filter((t) => t.acknowledged);
  }

  private async send(): Promise<void> {
    const now = BigInt(Date.now()) * 1_000_000n;
    const trace: ProbeTrace = {
      traceId: randomBytes(16).toString('hex'),
      spanIds: Array.from({ length: this.options.spansPerTrace }, () => randomBytes(8).toString('hex')),
      sentAt: Date.now(),
      acknowledged: false,
    };
    this.traces.push(trace);
    const body = JSON.stringify({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: this.options.serviceName } }] },
          scopeSpans: [
            {
              scope: { name: 'otelkit-faults-otlp-probe' },
              spans: trace.spanIds.map((spanId, i) => ({
                traceId: trace.traceId,
                spanId,
                ...(i === 0 ? {} : { parentSpanId: trace.spanIds[0] }),
                name: `probe-${i}`,
                kind: i === 0 ? 2 : 1,
                startTimeUnixNano: String(now),
                endTimeUnixNano: String(now + 1_000_000n),
              })),
            },
          ],
        },
      ],
    });
    try {
      const response = await fetch(new URL('/v1/traces', this.endpoint), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(5_000),
      });
      const answer = (await response.json().catch(() => ({}))) as { partialSuccess?: { rejectedSpans?: string } };
      trace.acknowledged = response.ok && Number(answer.partialSuccess?.rejectedSpans ?? 0) === 0;
    } catch {
      trace.acknowledged = false; // refused, reset or timed out: the collector did not acknowledge it
    }
  }
}
