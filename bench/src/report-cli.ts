/** `npm run bench:report [-- results.json]`: regenerates docs/benchmarks.md's tables and chart (newest results by default). */
import { writeReport } from './report/write-report.js';

const [file] = process.argv.slice(2);
await writeReport(file);
process.stderr.write('docs/benchmarks.md and docs/benchmarks-throughput.svg regenerated\n');
