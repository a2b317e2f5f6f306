#!/usr/bin/env node
/**
 * `npm run generate` writes every generated file of the repository that changed and removes leftovers;
 * `npm run generate -- --check` only reports them and exits 1 if any (`npm test` runs it).
 */
import { syncTree } from '@otelkit/dashboards';
import { parseCommandLine, REPO_ROOT } from '@otelkit/native-runtime';
import { generatedTree } from './generated-files.js';

const { values } = parseCommandLine({
  usage: `Usage: npm run generate [-- --check]

Writes every generated file (compose .env, Prometheus targets, Grafana datasources, the collector's Kubernetes
manifest, Helm values, the demo chart's k6 scripts, dashboards and rules) whose content changed, and removes
leftovers.
  --check     write nothing: list stale and leftover files and exit 1 if there are any
  -h, --help  this text`,
  options: { check: { type: 'boolean', default: false } },
});
const check = values.check === true;

const { files, ownedDirs } = generatedTree();
const { changed, removed } = syncTree(REPO_ROOT, files, { check, ownedDirs });
for (const file of changed) process.stdout.write(`${check ? 'stale' : 'wrote'} ${file}\n`);
for (const file of removed) process.stdout.write(`${check ? 'leftover' : 'removed'} ${file}\n`);
if (check && changed.length + removed.length > 0) {
  process.stderr.write('generated files are stale: run `npm run generate`\n');
  process.exit(1);
}
if (!check && changed.length + removed.length === 0) process.stdout.write('every generated file is up to date\n');
