/**
 * `@otelkit/node/metrics`: serve a prom-client registry of the application on otelkit's `/metrics`, without loading
 * otelkit. It acts on the otelkit that `--import @otelkit/node/register` or `start()` started.
 */
import type { Registry } from 'prom-client';
import { HANDLE_KEY } from './lifecycle/handle-key.js';

type GlobalWithHandle = typeof globalThis & { [HANDLE_KEY]?: { addRegistry(registry: Registry): void } };

const handle = () => (globalThis as GlobalWithHandle)[HANDLE_KEY];

/**
 * True when otelkit runs in this process, so a registry given to `serveRegistry` is served. Check it before
 * creating metrics: importing prom-client loads `@opentelemetry/api` (its default metrics need it), which an
 * application run without otelkit may want to avoid.
 */
export function servesMetrics(): boolean {
  return handle() !== undefined;
}

/**
 * Serves `registry`'s metrics on the running otelkit's `/metrics` (the handle's `addRegistry`). Returns false, and
 * does nothing, when otelkit is not started: the metrics are then served nowhere.
 */
export function serveRegistry(registry: Registry): boolean {
  const running = handle();
  if (running === undefined) return false;
  running.addRegistry(registry);
  return true;
}
