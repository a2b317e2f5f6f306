import type { DiagLogger } from '@opentelemetry/api';

type Level = 'error' | 'warn' | 'info' | 'debug' | 'verbose';

/**
 * OpenTelemetry's diagnostic logger for otelkit: one line per message on stderr, prefixed `otelkit/otel`, exceptions
 * reduced to their message (no stack), and an identical error or warning repeated at most once per interval with
 * the count of suppressed repeats. Without it, a collector that is down prints a full gRPC stack trace for every
 * failed batch. (The diag logger lives in @opentelemetry/api's global, shared by every copy of the SDK packages.)
 */
export class ConciseDiagLogger implements DiagLogger {
  private readonly seen = new Map<string, { at: number; suppressed: number }>();

  constructor(
    private readonly write: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
    private readonly intervalMillis = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  error = (message: string, ...args: unknown[]) => this.emit('error', message, args, true);
  warn = (message: string, ...args: unknown[]) => this.emit('warn', message, args, true);
  info = (message: string, ...args: unknown[]) => this.emit('info', message, args, false);
  debug = (message: string, ...args: unknown[]) => this.emit('debug', message, args, false);
  verbose = (message: string, ...args: unknown[]) => this.emit('verbose', message, args, false);

  private emit(level: Level, message: string, args: unknown[], limited: boolean): void {
    const text = [message, ...args.map(describe)].map(summarize).join(' ').replace(/\s+/g, ' ').trim();
    if (limited) {
      const key = `${level}:${text.replace(/\d+/g, '#')}`;
      const entry = this.seen.get(key);
      const now = this.now();
      if (entry !== undefined && now - entry.at < this.intervalMillis) {
        entry.suppressed++;
        return;
      }
      const suppressed = entry?.suppressed ?? 0;
      this.seen.set(key, { at: now, suppressed: 0 });
      this.write(
        `otelkit/otel ${level}: ${text}${suppressed > 0 ? ` (${suppressed} more since the last report)` : ''}`,
      );
      return;
    }
    this.write(`otelkit/otel ${level}: ${text}`);
  }
}

function describe(arg: unknown): string {
  if (arg instanceof Error) return arg.message;
  if (typeof arg === 'string') return arg;
  try {
    return JSON.stringify(arg);
  } catch {
    return String(arg);
  }
}

/** A serialised exception (`{"stack": ..., "message": ...}`, as the SDK's error handler logs it) -> its message. */
function summarize(text: string): string {
  if (!text.startsWith('{')) return text;
  try {
    const parsed = JSON.parse(text) as { message?: unknown };
    return typeof parsed.message === 'string' ? parsed.message : text;
  } catch {
    return text;
  }
}
