import { type ClientRequest, type IncomingMessage, ServerResponse } from 'node:http';
import { context, isSpanContextValid, type Span, TraceFlags } from '@opentelemetry/api';
import { getRPCMetadata, RPCType } from '@opentelemetry/core';
import type { Logger } from 'pino';
import type { ObserveDataWithExemplar } from 'prom-client';
import type { HttpServerDurationHistogram } from '../metrics/http-server-duration.js';
import { EXEMPLAR_SPAN_ID_LABEL, EXEMPLAR_TRACE_ID_LABEL, HTTP_LABELS, UNMATCHED_ROUTE } from '../names.js';
import { normalizeMethod } from './normalize.js';

/**
 * The http instrumentation's `responseHook`: for every traced incoming request it records, when the response
 * closes, the RED histogram (with the trace id as exemplar when the span is sampled) and one JSON log line.
 * The route is the template Express reported to OpenTelemetry (RPC metadata), never the raw URL, so random paths
 * cannot create new series.
 */
export function createRequestObserver(deps: {
  histogram: HttpServerDurationHistogram;
  logger: Logger | undefined;
}): (span: Span, response: IncomingMessage | ServerResponse | ClientRequest) => void {
  const { histogram, logger } = deps;
  return (span, response) => {
    if (!(response instanceof ServerResponse)) return;
    const rpc = getRPCMetadata(context.active());
    const startedAt = process.hrtime.bigint();
    const request = response.req;
    response.once('close', () => {
      const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
      const route = rpc?.type === RPCType.HTTP && rpc.route ? rpc.route : UNMATCHED_ROUTE;
      const method = normalizeMethod(request.method);
      const status = response.statusCode;
      const spanContext = span.spanContext();
      const sampled = isSpanContextValid(spanContext) && (spanContext.traceFlags & TraceFlags.SAMPLED) !== 0;
      // prom-client types exemplar labels with the metric's label names; exemplars have their own names.
      (histogram.observe as (data: ObserveDataWithExemplar<string>) => void).call(histogram, {
        labels: { [HTTP_LABELS.method]: method, [HTTP_LABELS.route]: route, [HTTP_LABELS.statusCode]: status },
        value: seconds,
        exemplarLabels: sampled
          ? { [EXEMPLAR_TRACE_ID_LABEL]: spanContext.traceId, [EXEMPLAR_SPAN_ID_LABEL]: spanContext.spanId }
          : {},
      });
      logger?.info(
        {
          method,
          route,
          status,
          duration_ms: Math.round(seconds * 1e6) / 1e3,
          aborted: !response.writableFinished,
        },
        'request completed',
      );
    });
  };
}
