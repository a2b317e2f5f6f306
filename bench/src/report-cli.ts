/** `npm run bench:report [-- results.json]`: regenerates docs/benchmarks.md's tables and chart (newest results by default). */
import { parseCommandLine } from '@otelkit/native-runtime';
import { writeReport } from './report/write-report.js';

const {
  positionals: [file],
} = parseCommandLine({
  usage: `Usage: npm run bench:report [-- results.json]

Regenerates docs/benchmarks.md's tables and chart from a results file (default: the newest in bench/results/).
  -h, --help  this text`,
  options: {},
  allowPositionals: true,
});
await writeReport(file);
process.stderr.write('docs/benchmarks.md and docs/benchmarks-throughput.svg regenerated\n');
