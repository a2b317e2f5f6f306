#!/usr/bin/env node
/**
 * `npm run stack`: the local stack without Docker, on the reference ports, state in .stack/. Ctrl-C stops it.
 */
import { join } from 'node:path';
import { NativeStack } from './native-stack.js';
import { REPO_ROOT } from './paths.js';
import { stackUrls } from './urls.js';

const stamp = () => new Date().toISOString().slice(11, 19);
const log = (message: string) => process.stdout.write(`[${stamp()}] ${message}\n`);

const stack = await NativeStack.start({ dir: join(REPO_ROOT, '.stack'), log }).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

log('the stack is up (logs in .stack/logs/):');
for (const { name, url, what } of stackUrls(stack.ports)) log(`  ${name.padEnd(18)} ${url.padEnd(36)} ${what}`);
log('Ctrl-C stops everything.');

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    void stack.stop().then(() => {
      log('stopped');
      process.exit(0);
    });
  });
}
