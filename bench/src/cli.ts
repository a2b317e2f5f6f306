/**
 * `npm run bench`: runs the whole benchmark, writes bench/results/<date>.json and regenerates docs/benchmarks.md's
 * tables and chart from it. `npm run bench -- --quick` checks the harness in about a minute.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { RESULTS_DIR } from './paths.js';
import { prettify } from './report/prettier.js';
import { writeReport } from './report/write-report.js';
import { runBench } from './run-bench.js';
import { parseCli, resultsFileName, USAGE } from './settings.js';

const log = (message: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
let options;
try {
  options = parseCli(args);
} catch (error) {
  process.stderr.write(`error: ${(error as Error).message}\n\n${USAGE}\n`);
  process.exit(2);
}

const results = await runBench(options.settings, log);
const file =
  options.out ??
  join(
    options.quick ? mkdtempSync(join(tmpdir(), 'otelkit-bench-results-')) : RESULTS_DIR,
    resultsFileName(results.startedAt),
  );
mkdirSync(dirname(file), { recursive: true });
writeFileSync(file, await prettify(JSON.stringify(results), file));
log(`results: ${file}`);
if (options.report) {
  await writeReport(file);
  log('docs/benchmarks.md and its chart regenerated');
}
