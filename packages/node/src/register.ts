/**
 * `node --import @otelkit/node/register app.js`: starts otelkit from the environment before the application
 * loads, and waits until the ESM loader has acknowledged every instrumentation hook, so ESM and CJS apps alike are
 * instrumented from their first import. Invalid configuration prints the ConfigError and exits with status 1.
 */
import { ConfigError } from './config/config-error.js';
import { start } from './start.js';

try {
  await start().ready;
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
