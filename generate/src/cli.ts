#!/usr/bin/env node
/**
 * `npm run generate` writes every generated file of the repository that changed and removes leftovers;
 * `npm run generate -- --check` only reports them and exits 1 if any (`npm test` runs it).
 */
import { parseArgs } from 'node:util';
import { syncTree } from '@otelkit/dashboards';
import { REPO_ROOT } from '@otelkit/native-runtime';
import { generatedTree } from './generated-files.js';

const USAGE = `usage: npm run generate [-- --check]

Writes every generated file (compose .env, Prometheus targets, Grafana datasources, the collector's Kubernetes
manifest, Helm values, the demo chart's k6 scripts, dashboards and rules) whose content changed, and removes
leftovers. --check writes nothing: it lists stale and leftover files and exits 1 if there are any.
`;

let check: boolean;
try {
  const { values } = parseArgs({ options: { check: { type: 'boolean', default: false }, help: { type: 'boolean' } } });
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  check = values.check ?? false;
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
  process.exit(2);
}

const { files, ownedDirs } = generatedTree();
const { changed, removed } = syncTree(REPO_ROOT, files, { check, ownedDirs });
for (const file of changed) process.stdout.write(`${check ? 'stale' : 'wrote'} ${file}\n`);
for (const file of removed) process.stdout.write(`${check ? 'leftover' : 'removed'} ${file}\n`);
if (check && changed.length + removed.length > 0) {
  process.stderr.write('generated files are stale: run `npm run generate`\n');
  process.exit(1);
}
if (!check && changed.length + removed.length === 0) process.stdout.write('every generated file is up to date\n');
