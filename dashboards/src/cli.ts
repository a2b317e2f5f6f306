#!/usr/bin/env node
/**
 * `otelkit-dashboards [--config overrides.json] [--out dir] [--check]` writes the dashboards, rules and Kubernetes
 * manifests of a config (the reference stack's by default). In this repository `npm run generate` writes
 * `dashboards/generated` through the same `syncTree`; `--check` only reports stale or leftover files and exits 1 if any.
 */
import { parseCommandLine } from '@otelkit/native-runtime';
import { withOverrides } from './config.js';
import { buildAll } from './build.js';
import { syncFiles } from './write-files.js';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const { values } = parseCommandLine({
  usage: `Usage: otelkit-dashboards [--config overrides.json] [--out dir] [--check]

Writes the dashboards, alert and recording rules and Kubernetes manifests of a config (the reference stack's by
default). In this repository: npm run dashboards (--out dashboards/generated).
  --config FILE  JSON overrides of the config (selectors, job names, thresholds)
  --out DIR      where the files go (default: generated)
  --check        write nothing; exit 1 when a file is stale or left over
  -h, --help     this text`,
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
