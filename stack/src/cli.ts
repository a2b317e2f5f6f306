#!/usr/bin/env node
/**
 * `npm run stack`: the local stack without Docker, on the reference ports, state in .stack/. Stops in order on
 * Ctrl-C, SIGTERM or SIGHUP (sent to npm or to this process) and when its parent goes away.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { log, parseCommandLine, REPO_ROOT, stopOnSignals } from '@otelkit/native-runtime';
import { NativeStack } from './native-stack.js';
import { defaultPorts, freeStackPorts } from './ports.js';
import { stackUrls } from './urls.js';

const DEFAULT_DIR = join(REPO_ROOT, '.stack');

const { values } = parseCommandLine({
  usage: `Usage: npm run stack [-- options]

Starts Postgres, postgres-exporter, Jaeger, the collector, Prometheus and the demo API as native processes on
127.0.0.1, prints their URLs once every one answers its health check, and runs until Ctrl-C or SIGTERM, which
stop them in reverse order. It refuses to start, naming the port and the process holding it, when a port it
needs is taken.

Options:
  --reset         delete the data folder (Postgres cluster, Prometheus TSDB, logs) before starting
  --dir <path>    data folder (default: .stack/ at the repository root)
  --free-ports    use free ports instead of the reference ones (a second stack beside a running one)
  -h, --help      this text`,
  options: {
    reset: { type: 'boolean', default: false },
    dir: { type: 'string' },
    'free-ports': { type: 'boolean', default: false },
  },
});

const dir = resolve(values.dir ?? DEFAULT_DIR);
const ports = values['free-ports'] ? await freeStackPorts() : defaultPorts();
// The demo API joins the stack once its workspace exists; until then the stack runs without it.
const withDemo = existsSync(join(REPO_ROOT, 'demo', 'package.json'));
if (!withDemo) log('demo/ is not in this checkout: starting the stack without the demo API');

const fail = (message: string): never => {
  process.stderr.write(`${message}\n`);
  process.exit(1);
};

// start() refuses a taken port (naming its holder) before --reset deletes anything.
const stack = NativeStack.create({ dir, ports, log });
const started = stack.start({ demo: withDemo, reset: values.reset });
let stopRequested = false;
stopOnSignals(async () => {
  stopRequested = true;
  await stack.stop();
  await started.catch(() => {}); // a start-up under way stops what it launched meanwhile
});
await started.catch((error: unknown) =>
  // Stopped by a signal during start-up: the signal handler finishes stopping and exits.
  stopRequested ? new Promise<never>(() => {}) : fail(error instanceof Error ? error.message : String(error)),
);

const problems = await stack.unhealthy();
if (problems.length > 0) {
  await stack.stop();
  fail(`the stack is not up:\n${problems.map((p) => `  ${p}`).join('\n')}\n(logs in ${join(dir, 'logs')})`);
}
log(`the stack is up (data in ${dir}, logs in ${join(dir, 'logs')}):`);
for (const { name, url, what } of stackUrls(stack.ports).filter((u) => withDemo || !u.name.startsWith('demo')))
  log(`  ${name.padEnd(18)} ${url.padEnd(36)} ${what}`);
log('Ctrl-C stops everything.');
