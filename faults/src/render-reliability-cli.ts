/**
 * `npm run faults:report`: merges the figures of the last fault-suite run (faults/out/figures.json, or the file
 * given as argument) into docs/reliability.json, each fault's newest figures replacing its older ones (so
 * `npm run soak` adds fault 7 without dropping the CI suite's 1-6), and renders docs/reliability.md from it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCommandLine, REPO_ROOT } from '@otelkit/native-runtime';
import { figuresPath, mergeFigures, readFigures } from './figures.js';
import { renderReliabilityReport } from './reliability-report.js';

const {
  positionals: [file],
} = parseCommandLine({
  usage: `Usage: npm run faults:report [-- figures.json]

Merges the figures of the last fault-suite run (faults/out/figures.json, or the file given) into
docs/reliability.json and renders docs/reliability.md from it.
  -h, --help  this text`,
  options: {},
  allowPositionals: true,
});
const source = file ?? figuresPath();
const figures = readFigures(source);
if (figures === undefined) {
  process.stderr.write(`no figures at ${source}: run \`npm run test:faults\` first\n`);
  process.exit(1);
}
const docsJson = join(REPO_ROOT, 'docs', 'reliability.json');
const merged = mergeFigures(readFigures(docsJson), figures);
writeFileSync(docsJson, `${JSON.stringify(merged, null, 2)}\n`);
writeFileSync(join(REPO_ROOT, 'docs', 'reliability.md'), renderReliabilityReport(merged));
process.stdout.write(
  `docs/reliability.md: ${Object.keys(figures.faults).join(', ')} from ${source}; ` +
    `${Object.keys(merged.faults).length} faults in all\n`,
);
