/**
 * `@otelkit/node/metrics`: serve a prom-client registry of the application on otelkit's `/metrics`, without loading
 * otelkit. It acts on the otelkit that `--import @otelkit/node/register` or `start()` started.
 */
import type { Registry } from 'prom-client';
import { HANDLE_KEY } from './lifecycle/handle-key.js';

type GlobalWithHandle = typeof globalThis & { [HANDLE_KEY]?: { addRegistry(registry: Registry): void } };

/**
 * Serves `registry`'s metrics on the running otelkit's `/metrics` (the handle's `addRegistry`). Returns false, and
 * does nothing, when otelkit is not started: the metrics are then served nowhere.
 */
export function serveRegistry(registry: Registry): boolean {
  const handle = (globalThis as GlobalWithHandle)[HANDLE_KEY];
  if (handle === undefined) return false;
  handle.addRegistry(registry);
  return true;
}
