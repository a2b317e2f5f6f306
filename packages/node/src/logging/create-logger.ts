import { context, isSpanContextValid, trace } from '@opentelemetry/api';
import { type Logger, type LoggerOptions, pino, stdTimeFunctions } from 'pino';
import { LOG_KEYS } from '../names.js';

/** The trace context of the active span as log fields, or nothing outside a span. */
export function traceFields(): Record<string, string> {
  const span = trace.getSpan(context.active());
  const spanContext = span?.spanContext();
  if (spanContext === undefined || !isSpanContextValid(spanContext)) return {};
  return {
    [LOG_KEYS.traceId]: spanContext.traceId,
    [LOG_KEYS.spanId]: spanContext.spanId,
    [LOG_KEYS.traceFlags]: `0${spanContext.traceFlags.toString(16)}`.slice(-2),
  };
}

/**
 * A pino logger writing JSON lines to stdout with an ISO timestamp, the level as a label and, inside a span,
 * `trace_id`, `span_id` and `trace_flags`. Works with or without `start()`: the trace fields come from the
 * OpenTelemetry context API, so they appear as soon as a tracer provider is registered.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const userMixin = options.mixin;
  return pino({
    level: process.env.OTELKIT_LOG_LEVEL ?? 'info',
    timestamp: stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    ...options,
    mixin: (mergeObject, level, logger) => ({
      ...traceFields(),
      ...(userMixin ? userMixin(mergeObject, level, logger) : {}),
    }),
  });
}
