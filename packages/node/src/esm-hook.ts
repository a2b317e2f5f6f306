import { readFileSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { dirname, extname, join, resolve } from 'node:path';
import { createAddHookMessageChannel } from 'import-in-the-middle';
import { register as registerInThread, supportsSyncHooks } from 'import-in-the-middle/register-hooks.mjs';
import type { EsmHookMode } from './config/types.js';

/**
 * Whether the program's entry point is an ES module: `.mjs`/`.mts`, or `.js`/no extension under a package.json
 * with `"type": "module"` (Node's own rule). `undefined` (no script: a REPL, `-e`) and entry points that cannot be
 * read count as ES modules, so the hook is registered whenever in doubt.
 */
export function entryPointIsEsm(entry: string | undefined, cwd = process.cwd()): boolean {
  if (entry === undefined) return true;
  const path = resolve(cwd, entry);
  const ext = extname(path);
  if (ext === '.mjs' || ext === '.mts') return true;
  if (ext === '.cjs' || ext === '.cts') return false;
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    let text: string | undefined;
    try {
      text = readFileSync(join(dir, 'package.json'), 'utf8');
    } catch {
      // no package.json here: look further up
    }
    if (text !== undefined) {
      try {
        return (JSON.parse(text) as { type?: unknown }).type === 'module';
      } catch {
        return true; // unreadable package.json: Node would fail too; register to be safe
      }
    }
    if (dirname(dir) === dir) return false; // no package.json at all: CommonJS
  }
}

/** Whether `mode` asks for the ESM loader hook for this entry point. */
export function wantsEsmHook(mode: EsmHookMode, entry: string | undefined): boolean {
  return mode === 'auto' ? entryPointIsEsm(entry) : mode;
}

/** How the ESM loader hook runs on this Node: in the application's thread, in a worker thread, or not at all. */
export type EsmHookKind = 'in-thread' | 'worker' | 'none';

/**
 * In-thread (`module.registerHooks`) where import-in-the-middle supports it (Node 22.22.3+, 24.11.1+: earlier
 * releases have `registerHooks` but reject the hook's CommonJS results), else the worker-thread loader
 * (`module.register`).
 */
export function esmHookKind(): EsmHookKind {
  if (supportsSyncHooks()) return 'in-thread';
  return typeof nodeModule.register === 'function' ? 'worker' : 'none';
}

/**
 * Registers import-in-the-middle's ESM loader hook in "only hooked modules" mode: the loader intercepts only the
 * modules an instrumentation has asked for (express, pg, ...), not every import of the application. Call it before
 * the instrumentations are created; await the returned function's promise before the application is imported, so
 * the loader has acknowledged every hook.
 *
 * In-thread hooks cost little: no worker to boot, no round trip per import. The worker-thread loader of older Node
 * versions is most of otelkit's start-up cost (about 300 ms), which CommonJS applications do not need to pay. Both
 * learn which modules are hooked over the same message channel (each `Hook()` posts its module names; the hook adds
 * them to its include list and acknowledges); in-thread, the channel's two ends are in the same thread.
 */
export function registerEsmHook(kind: EsmHookKind = esmHookKind()): () => Promise<void> {
  if (kind === 'none') return () => Promise.resolve();
  const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
  if (kind === 'in-thread') registerInThread(registerOptions.data);
  else nodeModule.register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);
  return waitForAllMessagesAcknowledged;
}
