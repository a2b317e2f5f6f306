#!/usr/bin/env node
/** `npm run stack:generate` writes the compose .env and Prometheus targets; `--check` fails when they are stale. */
import { parseCommandLine } from './cli-support.js';
import { generatedFiles } from './generate.js';
import { syncGeneratedFiles } from './sync-generated.js';

const { values } = parseCommandLine({
  usage: `Usage: npm run stack:generate [-- --check]

Writes the compose .env, the compose Prometheus targets and the Grafana datasources from @otelkit/node/stack.
  --check     write nothing; exit 1 when a generated file is stale
  -h, --help  this text`,
  options: { check: { type: 'boolean', default: false } },
});
syncGeneratedFiles(generatedFiles(), { check: values.check === true, command: 'npm run stack:generate' });
