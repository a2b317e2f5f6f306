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
  /** Called for each traced server response (see createRequestObserver). */
  responseHook: NonNullable<HttpInstrumentationConfig['responseHook']>;
}

/**
 * The curated instrumentations, configured for low noise:
 * - express: router and request-handler spans only (middleware layers such as body parsers and helmet are not
 *   spans of their own; their time stays inside the request span);
 * - pg: spans only under an existing span, so pool housekeeping outside requests creates no root traces, and pg
 *   spans stay children of the request span;
 * - fs, dns, net: off unless named, and then only under an existing span where supported.
 */
export function createInstrumentations(
  names: ReadonlySet<InstrumentationName>,
  hooks: InstrumentationHooks,
): Instrumentation[] {
  const factories: Record<InstrumentationName, () => Instrumentation> = {
    http: () =>
      new HttpInstrumentation({
        ignoreIncomingRequestHook: hooks.ignoreIncomingRequest,
        responseHook: hooks.responseHook,
      }),
    express: () => new ExpressInstrumentation({ ignoreLayersType: [ExpressLayerType.MIDDLEWARE] }),
    pg: () => new PgInstrumentation({ requireParentSpan: true }),
    pino: () => new PinoInstrumentation(),
    undici: () => new UndiciInstrumentation({ requireParentforSpans: true }),
    fs: () => new FsInstrumentation({ requireParentSpan: true }),
    dns: () => new DnsInstrumentation(),
    net: () => new NetInstrumentation(),
  };
  return [...names].map((name) => factories[name]());
}
