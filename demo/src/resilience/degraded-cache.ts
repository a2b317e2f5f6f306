/** A remembered response body and its age. */
export interface Recalled {
  value: unknown;
  ageMs: number;
}

/**
 * The last good answers of reads that may be served degraded, for `ttlMs`: when the database fails (or its breaker
 * is open), such a read is answered from here, saying so, instead of with a 503. Bounded: at most `maxEntries`
 * keys, the least recently stored evicted first. A TTL of 0 disables it.
 */
export class DegradedCache {
  private readonly entries = new Map<string, { value: unknown; storedAt: number }>();

  constructor(
    readonly ttlMs: number,
    readonly maxEntries = 1_000,
  ) {}

  remember(key: string, value: unknown, now = Date.now()): void {
    if (this.ttlMs <= 0) return;
    this.entries.delete(key); // re-inserted last: Map keeps insertion order
    this.entries.set(key, { value, storedAt: now });
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  recall(key: string, now = Date.now()): Recalled | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    const ageMs = now - entry.storedAt;
    if (ageMs > this.ttlMs) {
      this.entries.delete(key);
      return undefined;
    }
    return { value: entry.value, ageMs };
  }

  get size(): number {
    return this.entries.size;
  }
}
