const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * Flushes telemetry on SIGTERM/SIGINT without getting in the application's way:
 * - if the application handles the signal itself (it drains requests, closes pools...), otelkit flushes when the
 *   event loop has emptied (`beforeExit`), so the spans of the last requests are exported too; the application may
 *   also call `shutdown()` itself at the end of its own sequence;
 * - otherwise otelkit flushes (bounded by the shutdown timeout) and then re-raises the signal, so the process
 *   exits exactly as it would have without otelkit.
 * Returns a function that removes the handlers.
 */
export function installSignalHandlers(shutdown: () => Promise<void>): () => void {
  const handlers = new Map<NodeJS.Signals, () => void>();
  const uninstall = () => {
    for (const [signal, handler] of handlers) process.off(signal, handler);
    handlers.clear();
  };
  for (const signal of SIGNALS) {
    const handler = () => {
      if (process.listenerCount(signal) > 1) {
        process.once('beforeExit', () => void shutdown());
        return;
      }
      uninstall();
      void shutdown().finally(() => process.kill(process.pid, signal));
    };
    handlers.set(signal, handler);
    process.on(signal, handler);
  }
  return uninstall;
}
