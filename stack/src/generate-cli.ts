#!/usr/bin/env node
/** `npm run stack:generate` writes the compose .env and Prometheus targets; `--check` fails when they are stale. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { generatedFiles } from './generate.js';
import { REPO_ROOT } from './paths.js';

const check = process.argv.includes('--check');
const stale: string[] = [];
for (const [path, content] of Object.entries(generatedFiles())) {
  const current = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  if (current === content) continue;
  if (check) stale.push(relative(REPO_ROOT, path));
  else {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
    process.stdout.write(`wrote ${relative(REPO_ROOT, path)}\n`);
  }
}
if (stale.length > 0) {
  process.stderr.write(`stale generated files (run npm run stack:generate): ${stale.join(', ')}\n`);
  process.exit(1);
}
