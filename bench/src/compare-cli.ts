/**
 * `npm run bench:compare -- --arm a=otelkit --arm b=otelkit,OTELKIT_REQUEST_LOG=false [--route trivial]
 * [--rounds 5] [--seconds 10] [--sampling 1] [--startup]`: an A/B (or A/B/C...) of settings, with the benchmark's
 * environment and load. Each round starts a fresh process per arm (interleaved), warms it up, then measures one
 * route; it prints per-round and median CPU per request and throughput. With --startup it measures the start-up
 * instead (wall and CPU time to the first 200, as `npm run bench` does). For deciding a default, not for the
 * published numbers.
 */
import { parseCommandLine } from '@otelkit/native-runtime';
import { type Arm, parseArms } from './compare/arms.js';
import { timeToFirstResponse } from './cold-start.js';
import { constantLoad } from './k6-load.js';
import { loadAverage } from './proc-stats.js';
import { RouteId } from './results-schema.js';
import { describePinning } from './cpu-pinning.js';
import {
  auditUninstrumented,
  BENCH_ROUTES,
  baseUrl,
  demoPid,
  demoProcess,
  startEnvironment,
  withCpuTime,
} from './run-bench.js';
import { FULL } from './settings.js';
import { median } from './stats.js';

const log = (message: string) => process.stderr.write(`[compare] ${message}\n`);
const { values } = parseCommandLine({
  usage: `Usage: npm run bench:compare -- --arm NAME=VARIANT[,VAR=value...] --arm ... [options]

An A/B (or A/B/C...) of settings with the benchmark's environment and load: each round starts a fresh process per
arm (interleaved), warms it up and measures one route; prints per-round and median CPU per request and throughput.
  --arm NAME=VARIANT[,VAR=value]  an arm: a variant (otelkit, upstream, uninstrumented) and its environment
  --route trivial|postgres        the measured route (default trivial)
  --rounds N                      rounds (default 3)
  --seconds S                     measured seconds per arm and round
  --sampling R                    sampling ratio, 0 to 1 (default 1)
  --startup                       measure the start-up (to the first 200) instead
  -h, --help                      this text`,
  options: {
    arm: { type: 'string', multiple: true, default: [] },
    route: { type: 'string', default: 'trivial' },
    rounds: { type: 'string', default: '3' },
    seconds: { type: 'string', default: String(FULL.durationSeconds) },
    sampling: { type: 'string', default: '1' },
    startup: { type: 'boolean', default: false },
  },
});
let arms: Arm[];
try {
  arms = parseArms(values.arm);
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(2);
}
const route = RouteId.parse(values.route);
const rounds = Number(values.rounds);
const seconds = Number(values.seconds);
const sampling = Number(values.sampling);
if (!(Number.isInteger(rounds) && rounds > 0) || !(seconds > 0) || !(sampling >= 0 && sampling <= 1)) {
  process.stderr.write('--rounds is a positive integer, --seconds > 0, --sampling in [0, 1]\n');
  process.exit(2);
}

/** One arm in one round: CPU ms per request and req/s, or with --startup ms and CPU ms to the first 200. */
interface Sample {
  cpuMsPerRequest: number;
  throughput: number;
}
const [cpuLabel, rateLabel] = values.startup ? ['ms CPU to first 200', 'ms'] : ['ms CPU/request', 'req/s'];
const samples = new Map<string, Sample[]>(arms.map((a) => [a.name, []]));
log(`load average at the start: ${loadAverage().join(' / ')}`);
const environment = await startEnvironment(FULL, log);
try {
  const { bench } = environment;
  if (arms.some((arm) => arm.variant === 'uninstrumented')) await auditUninstrumented(bench);
  const load = (s: number) =>
    constantLoad({ baseUrl: baseUrl(bench), route: BENCH_ROUTES[route], vus: FULL.vus, seconds: s });
  for (let round = 1; round <= rounds; round++) {
    for (const arm of arms) {
      if (values.startup) {
        const demo = demoProcess(bench, arm.variant, sampling, false, [], arm.env);
        try {
          const { ms, cpuMs } = await timeToFirstResponse(demo, `${baseUrl(bench)}${BENCH_ROUTES.trivial}`);
          samples.get(arm.name)?.push({ cpuMsPerRequest: cpuMs, throughput: ms });
          log(`round ${round} ${arm.name}: ${ms.toFixed(0)} ms, ${cpuMs.toFixed(0)} ms CPU to the first 200`);
        } finally {
          await demo.stop();
        }
        continue;
      }
      const demo = demoProcess(bench, arm.variant, sampling, true, [], arm.env);
      await demo.start();
      try {
        const pid = demoPid(bench, demo);
        await load(FULL.warmupSeconds);
        const sample = await withCpuTime(pid, () => load(seconds));
        samples.get(arm.name)?.push(sample);
        log(
          `round ${round} ${arm.name}: ${sample.cpuMsPerRequest.toFixed(3)} ms CPU/request, ` +
            `${sample.throughput.toFixed(0)} req/s (load ${loadAverage()[0]})`,
        );
      } finally {
        await demo.stop();
      }
    }
  }
} finally {
  await environment.stop(false);
}
process.stdout.write(
  `${values.startup ? 'start-up' : BENCH_ROUTES[route]}, sampling ${sampling}, ${rounds} rounds; medians, and the median over rounds of each ` +
    `round's ratio to ${arms[0]?.name} (paired, so drift between rounds cancels):\n`,
);
process.stdout.write(`CPU pinning: ${describePinning(environment.bench.pinning)}\n`);
const first = samples.get(arms[0]?.name ?? '') ?? [];
for (const arm of arms) {
  const s = samples.get(arm.name) ?? [];
  const cpu = median(s.map((x) => x.cpuMsPerRequest));
  const rps = median(s.map((x) => x.throughput));
  const cpuRatio = median(s.map((x, i) => x.cpuMsPerRequest / (first[i]?.cpuMsPerRequest ?? Number.NaN)));
  const rpsRatio = median(s.map((x, i) => x.throughput / (first[i]?.throughput ?? Number.NaN)));
  const env = Object.entries(arm.env)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  process.stdout.write(
    `${arm.name.padEnd(16)} ${cpu.toFixed(3)} ${cpuLabel} (x${cpuRatio.toFixed(2)})  ` +
      `${rps.toFixed(0).padStart(6)} ${rateLabel} (x${rpsRatio.toFixed(2)})  ${arm.variant} ${env}\n`,
  );
}
