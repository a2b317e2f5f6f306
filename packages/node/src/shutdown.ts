/**
 * `@otelkit/node/shutdown`: the end of an application's shutdown sequence, without loading otelkit. It acts on the
 * otelkit that `--import @otelkit/node/register` or `start()` started, and does nothing when none was.
 */
import { HANDLE_KEY } from './lifecycle/handle-key.js';

type GlobalWithHandle = typeof globalThis & { [HANDLE_KEY]?: { shutdown(): Promise<void> } };

/** Flushes and stops the running otelkit (no-op when not started). Call it last in your own shutdown sequence. */
export function shutdown(): Promise<void> {
  return (globalThis as GlobalWithHandle)[HANDLE_KEY]?.shutdown() ?? Promise.resolve();
}
