// `npm run bench:gateway`: the gateway sizing benchmark (bench/src/gateway/). Writes bench/results/gateway/<date>.json
// and docs/gateway-sizing.md. Options: --rates 1000,2000,4000,8000 --seconds 20 --settle 12 [--no-docs];
// --report only renders docs/gateway-sizing.md from the newest results file.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseCommandLine, REPO_ROOT } from '@otelkit/native-runtime';
import { runGatewaySizing } from './gateway/gateway-sizing.js';
import { prettify } from './report/prettier.js';
import { GATEWAY_RESULTS_DIR, latestSizingFile, readSizing, SIZING_DOC, sizingDoc } from './gateway/sizing-files.js';
import { sendSpans } from './gateway/span-load.js';

const { values } = parseCommandLine({
  usage: `Usage: npm run bench:gateway [-- options]

The gateway tier's sizing: an agent and a tail-sampling gateway under OTLP load at each rate; writes
bench/results/gateway/<date>.json and docs/gateway-sizing.md.
  --rates LIST   spans per second, comma-separated (default 1000,2000,4000,8000)
  --seconds S    measured seconds per rate (default 20)
  --settle S     seconds measured after the last span (default 12)
  --no-docs      leave docs/gateway-sizing.md alone
  --report       only render docs/gateway-sizing.md from the newest results file
  -h, --help     this text`,
  options: {
    rates: { type: 'string', default: '1000,2000,4000,8000' },
    seconds: { type: 'string', default: '20' },
    settle: { type: 'string', default: '12' },
    'no-docs': { type: 'boolean', default: false },
    report: { type: 'boolean', default: false },
  },
});
const log = (line: string) => process.stdout.write(`[bench:gateway] ${line}\n`);

let file: string;
if (values.report) {
  file = latestSizingFile();
} else {
  const rates = values.rates.split(',').map(Number);
  if (rates.some((r) => !(r > 0)))
    throw new Error(`--rates: positive numbers separated by commas, got ${values.rates}`);
  const results = await runGatewaySizing({
    rates,
    seconds: Number(values.seconds),
    settleSeconds: Number(values.settle),
    log,
    send: (endpoint, spansPerSecond, seconds) => sendSpans({ endpoint, spansPerSecond, seconds }),
  });
  mkdirSync(GATEWAY_RESULTS_DIR, { recursive: true });
  file = join(GATEWAY_RESULTS_DIR, `${results.date.slice(0, 16).replace(':', '-')}Z.json`);
  writeFileSync(file, await prettify(JSON.stringify(results), file));
  log(`wrote ${relative(REPO_ROOT, file)}`);
}
if (!values['no-docs']) {
  writeFileSync(SIZING_DOC, await sizingDoc(readSizing(file), file));
  log(`wrote ${relative(REPO_ROOT, SIZING_DOC)}`);
}
