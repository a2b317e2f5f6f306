import * as nodeModule from 'node:module';
import { createAddHookMessageChannel } from 'import-in-the-middle';

/**
 * Registers import-in-the-middle's ESM loader hook in "only hooked modules" mode: the loader intercepts only the
 * modules an instrumentation has asked for (express, pg, ...), not every import of the application. Call it before
 * the instrumentations are created; await the returned function's promise before the application is imported, so
 * the loader has acknowledged every hook.
 */
export function registerEsmHook(): () => Promise<void> {
  if (typeof nodeModule.register !== 'function') return () => Promise.resolve();
  const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
  nodeModule.register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);
  return waitForAllMessagesAcknowledged;
}
