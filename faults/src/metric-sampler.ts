import { scrapeText } from '@otelkit/testkit';

export interface Sample {
  /** Milliseconds since the epoch. */
  at: number;
  value: number;
}

/**
 * Scrapes a `/metrics` endpoint every `intervalMs` and keeps one number per scrape, computed by `read` from the
 * exposition (e.g. the demo's resident memory, or the collector's queue size). Scrapes that fail (the process is
 * down) are skipped: a gap in the samples, not an error.
 */
export class MetricSampler {
  readonly samples: Sample[] = [];
  private timer: NodeJS.Timeout | undefined;
  private pending: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly url: string,
    private readonly read: (body: string) => number,
    private readonly intervalMs = 1_000,
  ) {}

  start(): this {
    const tick = () => {
      this.pending = this.sample().finally(() => {
        if (this.timer !== undefined) this.timer = setTimeout(tick, this.intervalMs);
      });
    };
    this.timer = setTimeout(tick, 0);
    return this;
  }

  async stop(): Promise<Sample[]> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.pending;
    return this.samples;
  }

  /** One scrape now (also usable without start()); undefined when the endpoint does not answer. */
  async sample(): Promise<number | undefined> {
    const body = await scrapeText(this.url).catch(() => undefined);
    if (body === undefined) return undefined;
    const value = this.read(body);
    this.samples.push({ at: Date.now(), value });
    return value;
  }

  /** The largest value sampled in [from, to] (ms since the epoch); NaN when there is none. */
  max(from = 0, to = Number.POSITIVE_INFINITY): number {
    const values = this.samples.filter((s) => s.at >= from && s.at <= to).map((s) => s.value);
    return values.length === 0 ? Number.NaN : Math.max(...values);
  }

  /** When (ms since the epoch) the first sample at or after `from` exceeded `threshold`; NaN when none did. */
  firstAbove(threshold: number, from = 0): number {
    return this.samples.find((s) => s.at >= from && s.value > threshold)?.at ?? Number.NaN;
  }

  /** The last value sampled at or before `at`; NaN when there is none. */
  at(at: number): number {
    return this.samples.filter((s) => s.at <= at).at(-1)?.value ?? Number.NaN;
  }
}
