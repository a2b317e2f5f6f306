import { createRequire } from 'node:module';
import type * as OtelApi from '@opentelemetry/api';

/**
 * Where `@opentelemetry/api` 1.x keeps what is registered globally (context manager, tracer provider, propagator,
 * diag logger): every copy of the API in a process shares this key, so it is the API's own cross-version contract.
 * A major version of the API other than 1 would use another key (a test pins it to the installed API).
 */
const API_GLOBAL_KEY = Symbol.for('opentelemetry.js.api.1');

let api: typeof OtelApi | undefined;

/**
 * The OpenTelemetry API, loaded on first need: only once something has registered a global with it (otelkit's
 * `start()`, another SDK). Until then no span can be active (the API's no-op context manager always answers the
 * root context), so the logger has nothing to read and a process that never starts OpenTelemetry never loads it.
 */
export function traceApi(): typeof OtelApi | undefined {
  if (api === undefined) {
    if ((globalThis as Record<symbol, unknown>)[API_GLOBAL_KEY] === undefined) return undefined;
    // The CommonJS build, synchronously: traceFields runs inside pino's synchronous mixin. It shares its registered
    // globals with the ES module build by the key above.
    api = createRequire(import.meta.url)('@opentelemetry/api') as typeof OtelApi;
  }
  return api;
}
