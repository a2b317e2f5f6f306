import { type DestinationStream, destination, type Logger, type LoggerOptions, pino, stdTimeFunctions } from 'pino';
import { withTimeout } from '../lifecycle/with-timeout.js';
import { LOG_KEYS } from '../names.js';
import { traceApi } from './trace-api.js';

/** The trace context of the active span as log fields, or nothing outside a span. */
export function traceFields(): Record<string, string> {
  const api = traceApi();
  if (api === undefined) return {};
  const spanContext = api.trace.getSpan(api.context.active())?.spanContext();
  if (spanContext === undefined || !api.isSpanContextValid(spanContext)) return {};
  return {
    [LOG_KEYS.traceId]: spanContext.traceId,
    [LOG_KEYS.spanId]: spanContext.spanId,
    [LOG_KEYS.traceFlags]: `0${spanContext.traceFlags.toString(16)}`.slice(-2),
  };
}

let stdout: (DestinationStream & { flushSync(): void; flush(cb: (err?: Error) => void): void }) | undefined;

/** One asynchronous stdout destination shared by every otelkit logger, so shutdown can flush them all. */
function stdoutDestination(): DestinationStream {
  if (stdout === undefined) {
    const created = destination({ dest: 1, sync: false });
    process.once('exit', () => {
      try {
        created.flushSync();
      } catch {
        // a write is still in flight or stdout is closed (EPIPE): nothing more can be done at exit
      }
    });
    stdout = created;
  }
  return stdout;
}

/**
 * Waits until buffered log lines are written (called at shutdown, before a re-raised signal ends the process).
 * Bounded: a blocked stdout cannot hold the shutdown.
 */
export async function flushLogs(timeoutMillis = 1_000): Promise<void> {
  const dest = stdout;
  if (dest === undefined) return;
  // sonic-boom calls flush's callback at once while an asynchronous write is still in flight: wait for it first.
  const drained = (dest as unknown as { _writing?: boolean })._writing
    ? new Promise<void>((resolve) => (dest as unknown as NodeJS.EventEmitter).once('drain', () => resolve()))
    : Promise.resolve();
  await withTimeout(
    drained.then(() => new Promise<void>((resolve) => dest.flush(() => resolve()))),
    timeoutMillis,
  );
}

/**
 * A pino logger writing JSON lines to stdout with an ISO timestamp, the level as a label and, inside a span,
 * `trace_id`, `span_id` and `trace_flags`. Works with or without `start()`: the trace fields come from the
 * OpenTelemetry context API, so they appear as soon as OpenTelemetry is started (by otelkit or another SDK); until
 * then the API is not even loaded.
 */
export function createLogger(options: LoggerOptions = {}, stream: DestinationStream = stdoutDestination()): Logger {
  const userMixin = options.mixin;
  return pino(
    {
      level: process.env.OTELKIT_LOG_LEVEL ?? 'info',
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      ...options,
      mixin: (mergeObject, level, logger) => ({
        ...traceFields(),
        ...(userMixin ? userMixin(mergeObject, level, logger) : {}),
      }),
    },
    stream,
  );
}
