/**
 * `npm run bench:scrape -- [--serializer otelkit --serializer prom-client] [--rounds 3] [--scrapes 20]
 * [--accept openmetrics|text] [--tenants 100] [--operations 100] [--profile]`: the benchmark's /metrics scrape
 * (the many-series fixture, 10,000 user series) for each prom-client serializer, a fresh process per arm and round
 * (interleaved). Prints each round's median and fastest wall time and the fixture's CPU time per scrape, their
 * medians over rounds, and checks that every arm served the same user series byte for byte (and, for text, that
 * `promtool check metrics` passes). With --profile, one more run per arm with the CPU profiler on during the
 * scrapes: the CPU shares per package and the hottest functions.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCommandLine, toolBinary, waitUntil } from '@otelkit/native-runtime';
import { PROMETHEUS_ACCEPT, timeScrapes, withSeriesFixture } from './metrics-scrape.js';
import { hotFunctions } from './profile/hot-functions.js';
import { type CpuProfile, ownerShares } from './profile/owners.js';
import { loadAverage } from './proc-stats.js';
import { median } from './stats.js';

const SERIALIZERS = ['otelkit', 'prom-client'];
const ACCEPTS: Record<string, string> = { openmetrics: PROMETHEUS_ACCEPT, text: 'text/plain;version=0.0.4' };

const log = (message: string) => process.stderr.write(`[scrape] ${message}\n`);
const { values } = parseCommandLine({
  usage: `Usage: npm run bench:scrape -- [--serializer otelkit --serializer prom-client] [--rounds 3] [--scrapes 20]
                            [--accept openmetrics|text] [--tenants 100] [--operations 100] [--profile]

Times the benchmark's /metrics scrape (10,000 user series) for each prom-client serializer, a fresh process per
arm and round, checks that every arm serves the same series and, with --profile, where the CPU time goes.
  -h, --help  this text`,
  options: {
    serializer: { type: 'string', multiple: true, default: SERIALIZERS },
    rounds: { type: 'string', default: '3' },
    scrapes: { type: 'string', default: '20' },
    accept: { type: 'string', default: 'openmetrics' },
    tenants: { type: 'string', default: '100' },
    operations: { type: 'string', default: '100' },
    profile: { type: 'boolean', default: false },
  },
});
const rounds = Number(values.rounds);
const scrapes = Number(values.scrapes);
const tenants = Number(values.tenants);
const operations = Number(values.operations);
const accept = ACCEPTS[values.accept];
const unknown = values.serializer.filter((s) => !SERIALIZERS.includes(s));
if (
  ![rounds, scrapes, tenants, operations].every((n) => Number.isInteger(n) && n > 0) ||
  accept === undefined ||
  unknown.length > 0
) {
  process.stderr.write(
    `--rounds, --scrapes, --tenants, --operations are positive integers, --accept is openmetrics or text, ` +
      `--serializer one of ${SERIALIZERS.join(', ')}\n`,
  );
  process.exit(2);
}
// the pinned Prometheus 3's promtool (bash tools/build-go-tools.sh prometheus), looked up before any measuring
const promtool = values.accept === 'text' ? toolBinary('promtool') : undefined;

const logDir = mkdtempSync(join(tmpdir(), 'otelkit-bench-scrape-'));
const fixtureOptions = (serializer: string) => ({
  tenants,
  operations,
  logDir,
  accept,
  env: { OTELKIT_METRICS_SERIALIZER: serializer },
});
/** The user series' lines: the part of the body that does not change between processes. */
const userLines = (body: string) =>
  body
    .split('\n')
    .filter((line) => line.includes('shop_tenant_operations'))
    .join('\n');

log(`load average at the start: ${loadAverage().join(' / ')}`);
const results = new Map(
  values.serializer.map((s) => [s, { wallMs: [] as number[], minMs: [] as number[], cpuMs: [] as number[] }]),
);
const served = new Map<string, { user: string; bytes: number; contentType: string; body: string }>();
for (let round = 1; round <= rounds; round++) {
  for (const serializer of values.serializer) {
    const { durationsMs, cpuMsPerScrape, last } = await withSeriesFixture(fixtureOptions(serializer), (fixture) =>
      timeScrapes(fixture, scrapes, accept),
    );
    const wall = median(durationsMs);
    const fastest = Math.min(...durationsMs);
    results.get(serializer)?.wallMs.push(wall);
    results.get(serializer)?.minMs.push(fastest);
    results.get(serializer)?.cpuMs.push(cpuMsPerScrape);
    served.set(serializer, {
      user: userLines(last.body),
      bytes: Buffer.byteLength(last.body),
      contentType: last.contentType,
      body: last.body,
    });
    log(
      `round ${round} ${serializer}: median ${wall.toFixed(1)} ms per scrape (fastest ${fastest.toFixed(1)}), ` +
        `${cpuMsPerScrape.toFixed(1)} ms CPU per scrape`,
    );
  }
}
log(`load average at the end: ${loadAverage().join(' / ')}`);

const [first, ...others] = [...served];
process.stdout.write(
  `/metrics, ${tenants * operations} user series, Accept: ${values.accept}, ${rounds} rounds x ${scrapes} scrapes ` +
    `(medians over rounds)\n`,
);
for (const [serializer, { wallMs, minMs, cpuMs }] of results) {
  const s = served.get(serializer);
  process.stdout.write(
    `  ${serializer.padEnd(12)} ${median(wallMs).toFixed(1).padStart(7)} ms per scrape (fastest ` +
      `${median(minMs).toFixed(1)})  ` +
      `${median(cpuMs).toFixed(1).padStart(7)} ms CPU per scrape  ${s?.bytes} bytes of ${s?.contentType.split(';')[0]}\n`,
  );
}
for (const [serializer, s] of others) {
  const same = first !== undefined && s.user === first[1].user;
  process.stdout.write(`  user series of ${serializer} ${same ? 'identical to' : 'DIFFER from'} ${first?.[0]}'s\n`);
  if (!same) process.exitCode = 1;
}

if (promtool !== undefined) {
  for (const [serializer, { body }] of served) {
    const check = spawnSync(promtool, ['check', 'metrics'], { input: body, encoding: 'utf8' });
    const verdict = check.error ? `not run (${check.error.message})` : check.status === 0 ? 'passes' : 'FAILS';
    process.stdout.write(
      `  promtool check metrics ${verdict} on ${serializer}'s text${check.stderr ? `: ${check.stderr.trim()}` : ''}\n`,
    );
    if (check.status !== 0 && !check.error) process.exitCode = 1;
  }
}

if (values.profile) {
  for (const serializer of values.serializer) {
    const file = join(logDir, `${serializer}.cpuprofile`);
    await withSeriesFixture(
      { ...fixtureOptions(serializer), env: { ...fixtureOptions(serializer).env, SERIES_CPU_PROFILE: file } },
      async (fixture) => {
        await timeScrapes(fixture, scrapes, accept);
        process.kill(fixture.pid, 'SIGUSR2'); // the fixture writes its profile
        await waitUntil(async () => existsSync(file), { what: 'the fixture to write its profile', timeoutMs: 10_000 });
      },
    );
    const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
    const kept = join(tmpdir(), `otelkit-scrape-${serializer}-${Date.now()}.cpuprofile`);
    copyFileSync(file, kept);
    process.stdout.write(`\n${serializer}: CPU during the scrapes, idle excluded (${kept})\n`);
    const busy = ownerShares(profile).filter((o) => o.owner !== '(idle)');
    const busyTotal = busy.reduce((sum, o) => sum + o.share, 0) || 1;
    for (const { owner, share } of busy.slice(0, 6)) {
      process.stdout.write(`  ${((share / busyTotal) * 100).toFixed(1).padStart(5)}%  ${owner}\n`);
    }
    process.stdout.write('  hottest functions (self time):\n');
    for (const { fn, share } of hotFunctions(profile, 12)) {
      process.stdout.write(`  ${(share * 100).toFixed(1).padStart(5)}%  ${fn}\n`);
    }
  }
}
rmSync(logDir, { recursive: true, force: true });
