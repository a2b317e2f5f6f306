// `npm run bench:gateway`: the gateway sizing benchmark (bench/src/gateway/). Writes bench/results/gateway/<date>.json,
// docs/gateway-sizing.md and docs/scaling.md's sizing section. Options below (--help); --report only renders the docs
// from the newest results file.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseCommandLine, REPO_ROOT } from '@otelkit/native-runtime';
import { runGatewaySizing, type SizingGenerator } from './gateway/gateway-sizing.js';
import { prettify } from './report/prettier.js';
import {
  GATEWAY_RESULTS_DIR,
  latestSizingFile,
  NODE_RUN_PREFIX,
  readSizing,
  THROTTLED_RUN_PREFIX,
  writeSizingDocs,
} from './gateway/sizing-files.js';
import { sendSpans } from './gateway/span-load.js';
import {
  sendSpansWithTelemetrygen,
  TELEMETRYGEN_SPANS_PER_TRACE,
  telemetrygenVersion,
} from './gateway/telemetrygen-load.js';

const { values } = parseCommandLine({
  usage: `Usage: npm run bench:gateway [-- options]

The gateway tier's sizing: an agent and a tail-sampling gateway under OTLP load at each rate; writes
bench/results/gateway/<date>.json, docs/gateway-sizing.md and docs/scaling.md's sizing section.
  --rates LIST         spans per second, comma-separated (default 1000,2000,4000,8000)
  --seconds S          measured seconds per rate (default 20)
  --settle S           seconds measured after the last span (default 12)
  --generator NAME     telemetrygen (default: contrib's generator, OTLP/gRPC protobuf; built on first use by
                       tools/build-go-tools.sh telemetrygen) or node (bench/src/gateway/span-load.ts, OTLP/HTTP JSON)
  --quiet-below L      before each rate, wait until the 1-minute load average is below L (default 0.7)
  --quiet-timeout S    ... at most S seconds, then run anyway and record it (default 600)
  --throttle-gateway P starve the gateway of CPU: it runs P % of every 100 ms (SIGSTOP/SIGCONT, as a CPU limit
                       throttles a container); reproduces an overloaded tier on a quiet machine. Such a run is kept
                       as bench/results/gateway/throttled-<date>.json and never rendered into the docs
  --throttle-agent P   the same for the agent
  --no-docs            leave the docs alone
  --report             only render the docs from the newest results file
  -h, --help           this text`,
  options: {
    rates: { type: 'string', default: '1000,2000,4000,8000' },
    seconds: { type: 'string', default: '20' },
    settle: { type: 'string', default: '12' },
    generator: { type: 'string', default: 'telemetrygen' },
    'quiet-below': { type: 'string', default: '0.7' },
    'quiet-timeout': { type: 'string', default: '600' },
    'throttle-gateway': { type: 'string' },
    'throttle-agent': { type: 'string' },
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
  const numberOption = (name: 'seconds' | 'settle' | 'quiet-below' | 'quiet-timeout') => {
    const n = Number(values[name]);
    if (!(n >= 0)) throw new Error(`--${name}: a number of at least 0, got ${values[name]}`);
    return n;
  };
  let generator: SizingGenerator;
  let send: Parameters<typeof runGatewaySizing>[0]['send'];
  if (values.generator === 'telemetrygen') {
    // built here, on demand, not by the npm script: the other generator does not need it (nor does CI)
    execFileSync('bash', [join(REPO_ROOT, 'tools', 'build-go-tools.sh'), 'telemetrygen'], { stdio: 'inherit' });
    generator = {
      name: 'telemetrygen',
      version: telemetrygenVersion(),
      description:
        `telemetrygen ${telemetrygenVersion()} (contrib's generator, the OpenTelemetry Go SDK), OTLP/gRPC protobuf, ` +
        `batches of 512 spans; traces of ${TELEMETRYGEN_SPANS_PER_TRACE} spans, 1 in 20 from a second process ` +
        'whose spans all have status ERROR',
    };
    send = async (agent, spansPerSecond, seconds) => {
      const outcome = await sendSpansWithTelemetrygen({ endpoint: agent.otlpGrpc, spansPerSecond, seconds });
      return { sent: outcome.sent, errors: outcome.exportErrors };
    };
  } else if (values.generator === 'node') {
    generator = {
      name: 'node-otlp-json',
      description:
        'bench/src/gateway/span-load.ts, OTLP/HTTP JSON, 20 traces of 5 spans per request, 1 trace in 20 with an ' +
        'error span',
    };
    send = (agent, spansPerSecond, seconds) => sendSpans({ endpoint: agent.otlpHttp, spansPerSecond, seconds });
  } else {
    throw new Error(`--generator: telemetrygen or node, got ${values.generator}`);
  }
  const percent = (name: 'throttle-gateway' | 'throttle-agent') => {
    const value = values[name];
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!(n > 0 && n < 100)) throw new Error(`--${name}: a percentage between 0 and 100, got ${value}`);
    return n;
  };
  const throttle = { gatewayPercent: percent('throttle-gateway'), agentPercent: percent('throttle-agent') };
  const throttled = throttle.gatewayPercent !== undefined || throttle.agentPercent !== undefined;
  const results = await runGatewaySizing({
    rates,
    seconds: numberOption('seconds'),
    settleSeconds: numberOption('settle'),
    quiet: { below: numberOption('quiet-below'), timeoutSeconds: numberOption('quiet-timeout') },
    generator,
    ...(throttled ? { throttle } : {}),
    log,
    send,
  });
  mkdirSync(GATEWAY_RESULTS_DIR, { recursive: true });
  // runs of the Node generator are kept beside, for comparison, and throttled runs as evidence: the docs are rendered
  // from the newest plain telemetrygen run
  const prefix = throttled ? THROTTLED_RUN_PREFIX : generator.name === 'telemetrygen' ? '' : NODE_RUN_PREFIX;
  // to the second (runs of one minute must not overwrite each other), and never over an existing file
  file = join(GATEWAY_RESULTS_DIR, `${prefix}${results.date.slice(0, 19).replaceAll(':', '-')}Z.json`);
  writeFileSync(file, await prettify(JSON.stringify(results), file), { flag: 'wx' });
  log(`wrote ${relative(REPO_ROOT, file)}`);
}
if (!values['no-docs'] && !file.includes(THROTTLED_RUN_PREFIX)) {
  for (const doc of await writeSizingDocs(readSizing(file), file)) log(`wrote ${relative(REPO_ROOT, doc)}`);
}
