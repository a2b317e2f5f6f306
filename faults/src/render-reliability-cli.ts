/**
 * `npm run faults:report`: copies the figures of the last fault-suite run (faults/out/figures.json, or the file
 * given as argument) to docs/reliability.json and renders docs/reliability.md from it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '@otelkit/stack';
import { figuresPath, readFigures } from './figures.js';
import { renderReliabilityReport } from './reliability-report.js';

const source = process.argv[2] ?? figuresPath();
const figures = readFigures(source);
if (figures === undefined) {
  process.stderr.write(`no figures at ${source}: run \`npm run test:faults\` first\n`);
  process.exit(1);
}
writeFileSync(join(REPO_ROOT, 'docs', 'reliability.json'), `${JSON.stringify(figures, null, 2)}\n`);
writeFileSync(join(REPO_ROOT, 'docs', 'reliability.md'), renderReliabilityReport(figures));
process.stdout.write(`docs/reliability.md: ${Object.keys(figures.faults).length} faults from ${source}\n`);
