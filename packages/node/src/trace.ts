/**
 * `@otelkit/node/trace`: the active span, without loading OpenTelemetry. Until OpenTelemetry is started (by
 * `--import @otelkit/node/register`, `start()` or another SDK) no span can be active, so `activeSpan()` answers
 * `undefined` and the OpenTelemetry API is not even loaded.
 */
import type { Span } from '@opentelemetry/api';
import { traceApi } from './logging/trace-api.js';

/**
 * The span of the active context (inside a request: its server span), to add an attribute or an event of your own;
 * `undefined` outside a span or while OpenTelemetry is not started.
 */
export function activeSpan(): Span | undefined {
  const api = traceApi();
  return api === undefined ? undefined : api.trace.getSpan(api.context.active());
}
