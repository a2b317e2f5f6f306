#!/usr/bin/env node
/**
 * `npm run stack`: the local stack without Docker, on the reference ports, state in .stack/. Ctrl-C stops it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { NativeStack } from './native-stack.js';
import { log, REPO_ROOT, stopOnSignals } from '@otelkit/native-runtime';
import { stackUrls } from './urls.js';

// The demo API joins the stack once its workspace exists; until then the stack runs without it.
const withDemo = existsSync(join(REPO_ROOT, 'demo', 'package.json'));
if (!withDemo) log('demo/ is not in this checkout: starting the stack without the demo API');
const stack = await NativeStack.start({ dir: join(REPO_ROOT, '.stack'), log, demo: withDemo }).catch(
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);

log('the stack is up (logs in .stack/logs/):');
for (const { name, url, what } of stackUrls(stack.ports).filter((u) => withDemo || !u.name.startsWith('demo')))
  log(`  ${name.padEnd(18)} ${url.padEnd(36)} ${what}`);
log('Ctrl-C stops everything.');

stopOnSignals(() => stack.stop());
