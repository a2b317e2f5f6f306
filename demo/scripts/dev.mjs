#!/usr/bin/env node
// Runs the demo locally from a fresh clone (after `npm ci` and `npm run build`): a throw-away PostgreSQL cluster
// (Debian's binaries, via @otelkit/testkit), migrations, sample data, then the API under
// `node --import @otelkit/node/register`. Ctrl-C stops the API gracefully and deletes the cluster.
//
//   node demo/scripts/dev.mjs            (from the repository root: `npm run demo`)
//
// Environment: PORT (default STACK.demo.port), and any variable of the demo or of otelkit. Traces go nowhere unless
// OTEL_TRACES_EXPORTER or OTEL_EXPORTER_OTLP_ENDPOINT is set (e.g. to the collector of `npm run stack`).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { STACK } from '@otelkit/stack-topology';
import { PostgresInstance } from '@otelkit/native-runtime';

const USAGE = `Usage: npm run demo   (node demo/scripts/dev.mjs)

Runs the demo API from a fresh clone: a throw-away PostgreSQL cluster, migrations, sample data, then the API under
node --import @otelkit/node/register on http://127.0.0.1:PORT (default ${STACK.demo.port}). Ctrl-C stops it and deletes
the cluster. Configured by the environment only (PORT, the demo's and otelkit's variables).
  -h, --help  this text`;
const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log(USAGE);
  process.exit(0);
}
if (args.length > 0) {
  console.error(`error: unexpected argument ${JSON.stringify(args[0])}\n\n${USAGE}`);
  process.exit(2);
}

const demoDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const main = join(demoDir, 'dist', 'main.js');
if (!existsSync(main)) {
  console.error('demo/dist/main.js is missing: run `npm run build` at the repository root first');
  process.exit(1);
}

const say = (message) => console.error(`[demo] ${message}`);

say('starting a throw-away PostgreSQL cluster');
const postgres = await PostgresInstance.create();
const env = {
  ...process.env,
  DATABASE_URL: postgres.ensureDatabase(STACK.postgres.user, STACK.postgres.database),
  HOST: process.env.HOST ?? '127.0.0.1',
  PORT: process.env.PORT ?? String(STACK.demo.port),
  OTEL_SERVICE_NAME: process.env.OTEL_SERVICE_NAME ?? STACK.demo.service,
  OTEL_EXPORTER_PROMETHEUS_HOST: process.env.OTEL_EXPORTER_PROMETHEUS_HOST ?? '127.0.0.1',
  ...(process.env.OTEL_TRACES_EXPORTER || process.env.OTEL_EXPORTER_OTLP_ENDPOINT
    ? {}
    : { OTEL_TRACES_EXPORTER: 'none' }),
};

let cleaned = false;
async function cleanUp(code) {
  if (cleaned) return;
  cleaned = true;
  say('deleting the PostgreSQL cluster');
  await postgres.destroy();
  process.exit(code);
}

say('migrating and seeding');
const setup = spawnSync(process.execPath, [main, 'migrate', '--seed'], {
  cwd: demoDir,
  env: { ...env, OTEL_SDK_DISABLED: 'true' },
  stdio: 'inherit',
});
if (setup.status !== 0) await cleanUp(1);

say(
  `serving on http://${env.HOST}:${env.PORT} (docs: /docs; metrics: port ${env.OTEL_EXPORTER_PROMETHEUS_PORT ?? STACK.demo.metricsPort}/metrics); Ctrl-C stops`,
);
const api = spawn(process.execPath, ['--import', '@otelkit/node/register', main, 'serve'], {
  cwd: demoDir,
  env,
  stdio: 'inherit',
});
// Ctrl-C reaches the API through the terminal's process group; a plain `kill` of this script is forwarded.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (api.exitCode === null && signal === 'SIGTERM') api.kill(signal);
  });
}
api.on('exit', (code, signal) => {
  say(`API exited (${code ?? signal})`);
  void cleanUp(code ?? 1);
});
