import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO_ROOT } from '@otelkit/native-runtime';
import { prettify } from '../report/prettier.js';
import type { SizingResults } from './gateway-sizing.js';
import { renderSizing } from './sizing-report.js';

/** Where `npm run bench:gateway` keeps its runs (apart from the overhead benchmark's bench/results/*.json). */
export const GATEWAY_RESULTS_DIR = join(REPO_ROOT, 'bench', 'results', 'gateway');
export const SIZING_DOC = join(REPO_ROOT, 'docs', 'gateway-sizing.md');

/** The newest bench/results/gateway/<date>.json (names sort by date; other files there are kept runs, not docs). */
export function latestSizingFile(dir = GATEWAY_RESULTS_DIR): string {
  const last = readdirSync(dir)
    .filter((f) => /^\d{4}-.*\.json$/.test(f))
    .sort()
    .at(-1);
  if (last === undefined) throw new Error(`no results in ${dir}: run \`npm run bench:gateway\``);
  return join(dir, last);
}

export function readSizing(file: string): SizingResults {
  const results = JSON.parse(readFileSync(file, 'utf8')) as SizingResults;
  if (!Array.isArray(results.steps) || results.steps.length === 0) throw new Error(`${file}: no steps`);
  return results;
}

/** docs/gateway-sizing.md for a results file, formatted as `npm run lint` wants it. */
export function sizingDoc(results: SizingResults, file: string): Promise<string> {
  return prettify(renderSizing(results, relative(REPO_ROOT, file)), SIZING_DOC);
}
