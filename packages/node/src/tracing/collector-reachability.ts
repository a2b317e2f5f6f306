import { status } from '@grpc/grpc-js';

/** Export failures already told to the user in plain words: the global error handler drops them. */
const reported = new WeakSet<object>();

/** Whether an export error was already reported by `CollectorReachability` (see start.ts's error handler). */
export function isReportedExportError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && reported.has(error);
}

/** gRPC statuses that mean "no collector answers at this address" rather than "the collector rejected the spans". */
const UNREACHABLE = new Set<number>([status.UNAVAILABLE, status.DEADLINE_EXCEEDED]);

/**
 * Tells the user, in one plain line, when the collector cannot be reached and when it answers again, instead of a
 * gRPC error per failed batch (`14 UNAVAILABLE: No connection established. Last error: ... Resolution note:`).
 * Failures of that kind are marked as reported, so the SDK's error handler does not print them again; other
 * failures (a collector that rejects the spans) still reach it.
 */
export class CollectorReachability {
  private unreachable = false;

  constructor(
    private readonly endpoint: string,
    /** Where the lines go (start() passes stderr, unless OTEL_LOG_LEVEL silences warnings). */
    private readonly write: (line: string) => void,
  ) {}

  /** An export succeeded. */
  succeeded(): void {
    if (!this.unreachable) return;
    this.unreachable = false;
    this.write(`otelkit: the collector at ${this.endpoint} answers again; spans are exported`);
  }

  /** An export failed with `error`; returns the error to hand to the SDK (marked as reported when it was told). */
  failed<E extends { code?: number }>(error: E): E {
    if (error.code === undefined || !UNREACHABLE.has(error.code)) return error;
    if (!this.unreachable) {
      this.unreachable = true;
      this.write(`otelkit: cannot reach the collector at ${this.endpoint}; spans are dropped until it answers`);
    }
    reported.add(error);
    return error;
  }
}
