import { type ClientRequest, type IncomingMessage, ServerResponse } from 'node:http';
import { context, isSpanContextValid, type Span, TraceFlags } from '@opentelemetry/api';
import { getRPCMetadata, RPCType } from '@opentelemetry/core';
import type { Logger } from 'pino';
import type { ObserveDataWithExemplar } from 'prom-client';
import type { HttpServerDurationHistogram } from '../metrics/http-server-duration.js';
import { EXEMPLAR_SPAN_ID_LABEL, EXEMPLAR_TRACE_ID_LABEL, HTTP_LABELS, UNMATCHED_ROUTE } from '../names.js';
import { normalizeMethod } from './normalize.js';
import { routeOf } from './route-of.js';

/** One finished (or aborted) incoming request, as the HTTP server instrumentation saw it. */
export interface FinishedRequest {
  span: Span;
  request: IncomingMessage;
  response: ServerResponse;
  seconds: number;
  /** The route template, or undefined when no route matched. */
  route: string | undefined;
}

/**
 * Records a finished request: one observation of the RED histogram (with the trace and span id as exemplar only
 * when the span is sampled) and, when a logger is given (OTELKIT_REQUEST_LOG=true), one JSON access-log line.
 */
export function createRequestRecorder(deps: {
  histogram: HttpServerDurationHistogram;
  logger: Logger | undefined;
}): (finished: FinishedRequest) => void {
  const { histogram, logger } = deps;
  // prom-client types exemplar labels with the metric's label names; exemplars have their own names.
  const observe = histogram.observe as (data: ObserveDataWithExemplar<string>) => void;
  return ({ span, request, response, seconds, route }) => {
    const method = normalizeMethod(request.method);
    const status = response.statusCode;
    const labelRoute = route ?? UNMATCHED_ROUTE;
    const spanContext = span.spanContext();
    const sampled = (spanContext.traceFlags & TraceFlags.SAMPLED) !== 0 && isSpanContextValid(spanContext);
    observe.call(histogram, {
      labels: { [HTTP_LABELS.method]: method, [HTTP_LABELS.route]: labelRoute, [HTTP_LABELS.statusCode]: status },
      value: seconds,
      exemplarLabels: sampled
        ? { [EXEMPLAR_TRACE_ID_LABEL]: spanContext.traceId, [EXEMPLAR_SPAN_ID_LABEL]: spanContext.spanId }
        : {},
    });
    logger?.info(
      {
        method,
        route: labelRoute,
        status,
        duration_ms: Math.round(seconds * 1e6) / 1e3,
        aborted: !response.writableFinished,
      },
      'request completed',
    );
  };
}

/**
 * The upstream http instrumentation's `responseHook` (OTELKIT_HTTP_SERVER=upstream): times the request from the
 * hook to the response's `close` and hands it to the recorder. The route is the template Express reported to
 * OpenTelemetry (RPC metadata), never the raw URL, so random paths cannot create new series.
 */
export function createResponseHook(
  record: (finished: FinishedRequest) => void,
): (span: Span, response: IncomingMessage | ServerResponse | ClientRequest) => void {
  return (span, response) => {
    if (!(response instanceof ServerResponse)) return;
    const requestContext = context.active();
    const startedAt = performance.now();
    const request = response.req;
    response.once('close', () => {
      const seconds = (performance.now() - startedAt) / 1e3;
      const route = routeOf(request, requestContext);
      // This listener runs before instrumentation-http's own, which names the span from the RPC metadata's route:
      // hand it the route captured from Express when the Express instrumentation did not set one.
      const rpc = getRPCMetadata(requestContext);
      if (rpc?.type === RPCType.HTTP && rpc.route === undefined && route !== undefined) rpc.route = route;
      record({ span, request, response, seconds, route });
    });
  };
}
