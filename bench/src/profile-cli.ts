/**
 * `npm run bench:profile -- [--variant otelkit] [--route postgres|trivial] [--sampling 1] [--seconds 10]
 * [--env KEY=value ...]`: runs one
 * variant of the demo under `node --cpu-prof` with the benchmark's load on one route, keeps the .cpuprofile (open it
 * in Chrome DevTools or speedscope) and prints where the CPU time goes, per package.
 */
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCommandLine } from '@otelkit/native-runtime';
import { parseEnvAssignments } from './compare/arms.js';
import { constantLoad } from './k6-load.js';
import { type CpuProfile, ownerShares } from './profile/owners.js';
import { RouteId, Variant } from './results-schema.js';
import { BENCH_ROUTES, baseUrl, demoPid, demoProcess, startEnvironment } from './run-bench.js';
import { FULL } from './settings.js';

const log = (message: string) => process.stderr.write(`[profile] ${message}\n`);
const { values } = parseCommandLine({
  usage: `Usage: npm run bench:profile -- [--variant otelkit] [--route postgres|trivial] [--sampling 1] [--seconds 10]
                             [--env KEY=value ...]

Runs one variant of the demo under node --cpu-prof with the benchmark's load on one route, keeps the .cpuprofile
and prints where the CPU time goes, per package.
  -h, --help  this text`,
  options: {
    variant: { type: 'string', default: 'otelkit' },
    route: { type: 'string', default: 'postgres' },
    sampling: { type: 'string', default: '1' },
    seconds: { type: 'string', default: '10' },
    env: { type: 'string', multiple: true, default: [] },
  },
});
const variant = Variant.parse(values.variant);
const env = parseEnvAssignments(values.env);
const route = RouteId.parse(values.route);
const sampling = Number(values.sampling);
const seconds = Number(values.seconds);
if (!(sampling >= 0 && sampling <= 1) || !(seconds > 0)) throw new Error('--sampling is in [0, 1], --seconds > 0');

const profileDir = mkdtempSync(join(tmpdir(), 'otelkit-bench-profile-'));
const environment = await startEnvironment(FULL, log);
try {
  const { bench } = environment;
  const demo = demoProcess(bench, variant, sampling, true, ['--cpu-prof', `--cpu-prof-dir=${profileDir}`], env);
  await demo.start();
  try {
    demoPid(bench, demo); // on its CPU
    const load = (s: number) =>
      constantLoad({ baseUrl: baseUrl(bench), route: BENCH_ROUTES[route], vus: FULL.vus, seconds: s });
    await load(FULL.warmupSeconds);
    const outcome = await load(seconds);
    log(`${variant} on ${BENCH_ROUTES[route]} at sampling ${sampling}: ${outcome.throughput.toFixed(0)} req/s`);
  } finally {
    await demo.stop(); // the profile is written when the process exits
  }
} finally {
  await environment.stop(false);
}
// one profile per thread: the main thread's is the largest (on Node releases without in-thread module hooks, the
// other is the ESM loader's worker)
const [main] = readdirSync(profileDir)
  .filter((f) => f.endsWith('.cpuprofile'))
  .map((f) => join(profileDir, f))
  .sort((a, b) => statSync(b).size - statSync(a).size);
if (main === undefined) throw new Error(`no .cpuprofile in ${profileDir}`);
const shares = ownerShares(JSON.parse(readFileSync(main, 'utf8')) as CpuProfile);
process.stdout.write(`CPU samples per owner (whole process life, start-up included): ${main}\n`);
for (const { owner, share } of shares.slice(0, 30)) {
  process.stdout.write(`${(share * 100).toFixed(1).padStart(6)}%  ${owner}\n`);
}
