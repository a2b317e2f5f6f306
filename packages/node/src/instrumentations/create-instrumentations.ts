import type { IncomingMessage } from 'node:http';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { DnsInstrumentation } from '@opentelemetry/instrumentation-dns';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { FsInstrumentation } from '@opentelemetry/instrumentation-fs';
import { HttpInstrumentation, type HttpInstrumentationConfig } from '@opentelemetry/instrumentation-http';
import { NetInstrumentation } from '@opentelemetry/instrumentation-net';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import type { InstrumentationName } from '../names.js';

export interface InstrumentationHooks {
  /** Requests that are neither traced nor measured (health, readiness, metrics). */
  ignoreIncomingRequest: (request: IncomingMessage) => boolean;
  /** Called for each traced server response (see createResponseHook); only with the upstream server side. */
  responseHook: NonNullable<HttpInstrumentationConfig['responseHook']>;
  /** Whether instrumentation-http also traces incoming requests (OTELKIT_HTTP_SERVER=upstream). */
  upstreamHttpServer: boolean;
  /** Spans for Express routers and request handlers (config.expressLayerSpans). */
  expressLayerSpans: boolean;
}

/** Express layers that never get a span of their own (their time stays inside the request span). */
export function ignoredExpressLayers(layerSpans: boolean): ExpressLayerType[] {
  return layerSpans
    ? [ExpressLayerType.MIDDLEWARE]
    : [ExpressLayerType.MIDDLEWARE, ExpressLayerType.ROUTER, ExpressLayerType.REQUEST_HANDLER];
}

/**
 * The curated instrumentations, configured for low noise:
 * - http: outgoing requests (client spans, `traceparent` injection); incoming requests only when
 *   OTELKIT_HTTP_SERVER=upstream, otherwise otelkit's own server instrumentation traces them
 *   (http/server-instrumentation.ts);
 * - express: names the request span after the route template (`GET /items/:id`, `http.route`) and creates no span
 *   of its own unless `expressLayerSpans` asks for router and request-handler spans (middleware layers such as body
 *   parsers and helmet never get one). Layer spans mostly repeat the request span's timing; without them a request
 *   of the benchmarked Express + Postgres service sends a third fewer spans (docs/benchmarks.md);
 * - pg: query spans only under an existing span, so pool housekeeping outside requests creates no root traces, and
 *   pg spans stay children of the request span. No `pg.connect`/`pg-pool.connect` spans: they computed their
 *   attributes on every request, sampled or not, and a connection's wait shows as the gap before the query span and
 *   in `db_client_connection_pending_requests` (docs/benchmarks.md);
 * - pino: trace ids in every pino logger's lines (log correlation) only. Its log sending, on by default upstream,
 *   tees every line into a stream that parses it back from JSON for the OpenTelemetry Logs API: otelkit's logs go
 *   to stdout and it registers no logger provider, so that work would be thrown away, on every line;
 * - fs, dns, net: off unless named, and then only under an existing span where supported.
 */
export function createInstrumentations(
  names: ReadonlySet<InstrumentationName>,
  hooks: InstrumentationHooks,
): Instrumentation[] {
  const factories: Record<InstrumentationName, () => Instrumentation> = {
    http: () =>
      new HttpInstrumentation(
        hooks.upstreamHttpServer
          ? { ignoreIncomingRequestHook: hooks.ignoreIncomingRequest, responseHook: hooks.responseHook }
          : { disableIncomingRequestInstrumentation: true },
      ),
    express: () => new ExpressInstrumentation({ ignoreLayersType: ignoredExpressLayers(hooks.expressLayerSpans) }),
    pg: () => new PgInstrumentation({ requireParentSpan: true, ignoreConnectSpans: true }),
    pino: () => new PinoInstrumentation({ disableLogSending: true }),
    undici: () => new UndiciInstrumentation({ requireParentforSpans: true }),
    fs: () => new FsInstrumentation({ requireParentSpan: true }),
    dns: () => new DnsInstrumentation(),
    net: () => new NetInstrumentation(),
  };
  return [...names].map((name) => factories[name]());
}
