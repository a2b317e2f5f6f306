import { type DestinationStream, destination, type Logger, type LoggerOptions, pino, stdTimeFunctions } from 'pino';
import { readLoggerSettings } from '../config/logger-settings.js';
import type { LogFormat } from '../config/types.js';
import { withTimeout } from '../lifecycle/with-timeout.js';
import { LOG_KEYS } from '../names.js';
import { prettyLines } from './pretty-lines.js';
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

/** pino's options plus the output format (default: OTELKIT_LOG_FORMAT, else `auto`). */
export interface OtelkitLoggerOptions extends LoggerOptions {
  /** `json`, `pretty`, or `auto`: pretty when stdout is a terminal. Applies to stdout only; a given stream gets JSON. */
  format?: LogFormat;
}

/**
 * A pino logger writing to stdout with an ISO timestamp, the level as a label and, inside a span, `trace_id`,
 * `span_id` and `trace_flags`: JSON lines when stdout is not a terminal (containers, CI), readable coloured lines when
 * it is (pino-pretty, loaded only then), with the same fields; OTELKIT_LOG_FORMAT=json|pretty (or `format`) forces
 * one. The level defaults to OTELKIT_LOG_LEVEL, else `info`. Works with or without `start()`: the trace fields come
 * from the OpenTelemetry context API, so they appear as soon as OpenTelemetry is started (by otelkit or another
 * SDK); until then the API is not even loaded.
 */
export function createLogger(options: OtelkitLoggerOptions = {}, stream?: DestinationStream): Logger {
  const { format: formatOption, mixin: userMixin, ...pinoOptions } = options;
  const { settings, problems } = readLoggerSettings();
  for (const problem of problems) process.emitWarning(`otelkit: ${problem}`, 'OtelkitWarning');
  const format = formatOption ?? settings.format;
  const pretty = stream === undefined && (format === 'pretty' || (format === 'auto' && process.stdout.isTTY === true));
  const out = stream ?? (pretty ? prettyLines(stdoutDestination()) : stdoutDestination());
  return pino(
    {
      level: settings.level,
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      ...pinoOptions,
      mixin: (mergeObject, level, logger) => ({
        ...traceFields(),
        ...(userMixin ? userMixin(mergeObject, level, logger) : {}),
      }),
    },
    out,
  );
}
