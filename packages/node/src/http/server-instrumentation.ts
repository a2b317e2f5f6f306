import type { EventEmitter } from 'node:events';
import * as http from 'node:http';
import * as https from 'node:https';
import {
  type Context,
  context,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { RPCType, setRPCMetadata } from '@opentelemetry/core';
import type { FinishedRequest } from './request-observer.js';
import { routeOf } from './route-of.js';
import { serverRequestAttributes, serverResponseAttributes } from './server-span-attributes.js';

export interface HttpServerInstrumentationOptions {
  tracer: Tracer;
  /** Requests that are neither traced nor measured (health, readiness, metrics). */
  ignore: (request: http.IncomingMessage, server: http.Server) => boolean;
  /** Called once per traced request when its response closes (finished or aborted). */
  onFinished: (finished: FinishedRequest) => void;
}

type Emit = EventEmitter['emit'];
const ORIGINAL_EMIT = Symbol('otelkit.originalEmit');
type Patchable = { emit: Emit & { [ORIGINAL_EMIT]?: Emit } };

/**
 * otelkit's HTTP server instrumentation, the default (OTELKIT_HTTP_SERVER=otelkit; `upstream` selects
 * @opentelemetry/instrumentation-http's). It does per request only what every request needs, so that an unsampled
 * request costs close to nothing:
 * - the caller's W3C `traceparent`/`tracestate` are extracted and one server span is started; the sampler decides,
 *   and the span's attributes are computed only when it is recorded (serverRequestAttributes);
 * - the request context is activated once, around the `request` event, and carried to the request's and the
 *   response's later events (body chunks, `end`, `finish`) by one `emit` wrapper each, instead of wrapping every
 *   listener (EventEmitter binding, what the upstream instrumentation does);
 * - when the response closes: the route template names the span, 5xx sets its status to error, and the recorder
 *   observes the RED histogram. A handler that throws synchronously ends the span with the exception.
 * Installed by patching `emit` of `http.Server.prototype` and `https.Server.prototype` (the core modules are the
 * same objects for CommonJS and ES module apps, so no loader hook is needed). Returns the uninstaller.
 */
export function instrumentHttpServers(options: HttpServerInstrumentationOptions): () => void {
  const unpatch = [
    patchEmit(http.Server.prototype as unknown as Patchable, 'http', options),
    patchEmit(https.Server.prototype as unknown as Patchable, 'https', options),
  ];
  return () => {
    for (const restore of unpatch) restore();
  };
}

function patchEmit(
  prototype: Patchable,
  scheme: 'http' | 'https',
  { tracer, ignore, onFinished }: HttpServerInstrumentationOptions,
): () => void {
  const original = prototype.emit;
  if (original[ORIGINAL_EMIT] !== undefined) return () => {}; // already instrumented
  const emit = function (this: http.Server, event: string | symbol, request: unknown, response: unknown): boolean {
    // every other event, and ignored requests, pass straight through (no rest parameters: no array per call)
    if (event !== 'request' || ignore(request as http.IncomingMessage, this)) {
      return original.apply(this, arguments as unknown as Parameters<Emit>);
    }
    return traceRequest(this, request as http.IncomingMessage, response as http.ServerResponse);
  };
  const traceRequest = (server: http.Server, request: http.IncomingMessage, response: http.ServerResponse) => {
    const startedAt = performance.now();
    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    const span = tracer.startSpan(request.method ?? 'GET', { kind: SpanKind.SERVER }, parent);
    if (span.isRecording()) span.setAttributes(serverRequestAttributes(request, scheme));
    const requestContext = setRPCMetadata(trace.setSpan(parent, span), { type: RPCType.HTTP, span });
    runEventsIn(request, requestContext);
    runEventsIn(response, requestContext);
    response.once('close', () => {
      const route = routeOf(request, requestContext);
      if (span.isRecording()) endServerSpan(span, request, response, route);
      onFinished({ span, request, response, seconds: (performance.now() - startedAt) / 1e3, route });
    });
    try {
      return context.with(requestContext, original, server, 'request', request, response);
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message });
      throw error;
    }
  };
  const patched = emit as Patchable['emit'];
  patched[ORIGINAL_EMIT] = original;
  prototype.emit = patched;
  return () => {
    if (prototype.emit === patched) prototype.emit = original;
  };
}

/** Every later event of `emitter` runs in `ctx`, whichever socket callback emits it. */
function runEventsIn(emitter: EventEmitter, ctx: Context): void {
  const emit = emitter.emit;
  emitter.emit = function (this: EventEmitter): boolean {
    return context.with(ctx, emit, this, ...(arguments as unknown as Parameters<Emit>));
  };
}

function endServerSpan(
  span: Span,
  request: http.IncomingMessage,
  response: http.ServerResponse,
  route: string | undefined,
): void {
  span.setAttributes(serverResponseAttributes(response, route));
  if (route) span.updateName(`${request.method ?? 'GET'} ${route}`);
  if (response.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}
