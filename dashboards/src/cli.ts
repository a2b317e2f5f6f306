#!/usr/bin/env node
/**
 * `otelkit-dashboards [--config overrides.json] [--out dir] [--check]` writes the dashboards, rules and Kubernetes
 * manifests of a config (the reference stack's by default). In this repository `npm run generate` writes
 * `dashboards/generated` through the same `syncTree`; `--check` only reports stale or leftover files and exits 1 if any.
 */
import { parseArgs } from 'node:util';
import { withOverrides } from './config.js';
import { buildAll } from './build.js';
import { syncFiles } from './write-files.js';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const { values } = parseArgs({
  options: {
    config: { type: 'string' },
    out: { type: 'string', default: 'generated' },
    check: { type: 'boolean', default: false },
  },
});
try {
  const overrides = values.config ? JSON.parse(readFileSync(values.config, 'utf8')) : {};
  const result = syncFiles(
    resolve(values.out ?? 'generated'),
    buildAll(withOverrides(overrides)),
    values.check ?? false,
  );
  for (const line of result.changed) process.stdout.write(`${values.check ? 'stale' : 'wrote'} ${line}\n`);
  for (const line of result.removed) process.stdout.write(`${values.check ? 'leftover' : 'removed'} ${line}\n`);
  if (values.check && result.changed.length + result.removed.length > 0) {
    process.stderr.write('generated dashboards are stale: run otelkit-dashboards without --check\n');
    process.exit(1);
  }
} catch (error) {
  process.stderr.write(`otelkit-dashboards: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
