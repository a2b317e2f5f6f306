import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { demo, freeStackPorts, runDemoCommand, type StackContext, startPostgres } from '@otelkit/stack';
import { REPO_ROOT } from '@otelkit/native-runtime';
import { acceptedSpans, benchCollector, type BenchCollectorPorts, freeCollectorPorts } from './bench-collector.js';
import { timeToFirstResponse } from './cold-start.js';
import {
  allowedCpus,
  appWrapper,
  assertRunsOn,
  describePinning,
  findTaskset,
  pinThisProcess,
  planPinning,
} from './cpu-pinning.js';
import { constantLoad, type LoadOutcome } from './k6-load.js';
import { entryImportTimes } from './entry-imports.js';
import { machineInfo, nproc, versions } from './machine.js';
import { measureScrape } from './metrics-scrape.js';
import { assertNoOpenTelemetry } from './module-audit.js';
import { MODULE_RECORDER } from './paths.js';
import { cpuTimeMs, loadAverage, rssBytes } from './proc-stats.js';
import {
  type BenchResults,
  type ColdStart,
  type CpuPinning,
  type LoadRound,
  parseResults,
  type RouteId,
  type RouteMeasurement,
  type Settings,
  VARIANTS,
  type Variant,
} from './results-schema.js';
import { COMMON_DEMO_ENV, variantLaunch } from './variants.js';

/** The measured routes: a read of one seeded item (one indexed SELECT) and a route answered from memory. */
export const BENCH_ROUTES: Record<RouteId, string> = { postgres: '/items/1', trivial: '/version' };

/** The /metrics scrape: 100 tenants x 100 operations = 10,000 user series. */
const SCRAPE_SERIES = { tenants: 100, operations: 100 };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface Bench {
  ctx: StackContext;
  databaseUrl: string;
  collector: BenchCollectorPorts;
  settings: Settings;
  /** The demo on its own CPU, the rest on the others (or not pinned, and why). */
  pinning: CpuPinning;
  log: (message: string) => void;
}

/**
 * The demo in one variant; `extraNodeArgs` (e.g. --cpu-prof) go before the variant's own, `extraEnv` (an A/B
 * comparison's settings) over the variant's own.
 */
export function demoProcess(
  bench: Bench,
  variant: Variant,
  sampling: number,
  waitReady: boolean,
  extraNodeArgs: string[] = [],
  extraEnv: Record<string, string> = {},
) {
  const launch = variantLaunch(variant, sampling);
  return demo(
    bench.ctx,
    bench.databaseUrl,
    { ...COMMON_DEMO_ENV, ...launch.env, ...extraEnv },
    {
      nodeArgs: [...extraNodeArgs, ...launch.nodeArgs],
      waitReady,
      wrapper: appWrapper(bench.pinning),
    },
  );
}

/** The pid of a started demo, checked to run on the CPUs the pinning gave it. */
export function demoPid(bench: Bench, demo: { pid: number | undefined }): number {
  const { pid } = demo;
  if (pid === undefined) throw new Error('the demo has no pid');
  if (bench.pinning.pinned) assertRunsOn(pid, bench.pinning.appCpus, 'the demo');
  return pid;
}

/** A load on process `pid`, with the CPU time the process used meanwhile, in all and per request. */
export async function withCpuTime(
  pid: number,
  load: () => Promise<LoadOutcome>,
): Promise<LoadOutcome & { cpuMs: number; cpuMsPerRequest: number }> {
  const cpuBefore = cpuTimeMs(pid);
  const outcome = await load();
  const cpuMs = cpuTimeMs(pid) - cpuBefore;
  return { ...outcome, cpuMs, cpuMsPerRequest: outcome.requests === 0 ? 0 : cpuMs / outcome.requests };
}

export const baseUrl = (bench: Bench) => `http://127.0.0.1:${bench.ctx.ports.demo}`;

/** Nothing listens on the metrics port of an uninstrumented process: otelkit was never started. */
async function assertNotInstrumented(bench: Bench): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${bench.ctx.ports.demoMetrics}/metrics`).catch(() => undefined);
  if (response !== undefined) throw new Error('the uninstrumented demo serves /metrics: otelkit was started');
}

/**
 * Runs the uninstrumented demo once under the module recorder (never a measured process) and requests every route,
 * so modules loaded on first use count too. Throws if any module is OpenTelemetry's: the baseline would pay for
 * loading instrumentation. Returns how many modules it loaded.
 */
export async function auditUninstrumented(bench: Bench): Promise<number> {
  const file = join(bench.ctx.dir, 'uninstrumented-modules.txt');
  const process = demoProcess(bench, 'uninstrumented', 1, true, ['--import', MODULE_RECORDER], {
    BENCH_MODULES_FILE: file,
  });
  await process.start();
  try {
    for (const path of Object.values(BENCH_ROUTES)) {
      const response = await fetch(`${baseUrl(bench)}${path}`);
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`the module audit's demo answered ${response.status} on ${path}`);
    }
  } finally {
    await process.stop(); // the recorder writes the list at exit
  }
  const urls = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '');
  assertNoOpenTelemetry(urls);
  bench.log(`module audit: the uninstrumented demo loaded ${urls.length} modules, none of OpenTelemetry`);
  return urls.length;
}

async function coldStarts(bench: Bench): Promise<ColdStart[]> {
  const results: ColdStart[] = [];
  for (let run = 1; run <= bench.settings.coldStartRuns; run++) {
    for (const variant of VARIANTS) {
      const process = demoProcess(bench, variant, 1, false);
      try {
        const { ms, cpuMs } = await timeToFirstResponse(process, `${baseUrl(bench)}${BENCH_ROUTES.trivial}`);
        results.push({ variant, run, msToFirstResponse: ms, cpuMsToFirstResponse: cpuMs });
        bench.log(
          `cold start ${run}/${bench.settings.coldStartRuns} ${variant}: ${ms.toFixed(0)} ms, ${cpuMs.toFixed(0)} ms CPU`,
        );
      } finally {
        await process.stop();
      }
    }
  }
  return results;
}

/** One variant in one round: a fresh process, warm-up on every route, RSS, then each route measured. */
async function loadRound(bench: Bench, variant: Variant, sampling: number, round: number): Promise<LoadRound> {
  const { settings } = bench;
  const spansBefore = await acceptedSpans(bench.collector);
  const process = demoProcess(bench, variant, sampling, true);
  await process.start();
  let served = 0;
  const routes: RouteMeasurement[] = [];
  let rss = 0;
  try {
    const pid = demoPid(bench, process);
    if (variant === 'uninstrumented') await assertNotInstrumented(bench);
    const load = (route: RouteId, seconds: number) =>
      constantLoad({ baseUrl: baseUrl(bench), route: BENCH_ROUTES[route], vus: settings.vus, seconds });
    if (settings.warmupSeconds > 0) {
      for (const route of Object.keys(BENCH_ROUTES) as RouteId[]) {
        served += (await load(route, settings.warmupSeconds)).requests;
      }
    }
    rss = rssBytes(pid);
    for (const route of Object.keys(BENCH_ROUTES) as RouteId[]) {
      const outcome = await withCpuTime(pid, () => load(route, settings.durationSeconds));
      served += outcome.requests;
      routes.push({ route, path: BENCH_ROUTES[route], ...outcome });
    }
  } finally {
    await process.stop();
  }
  // the collector's batch processor forwards within 1 s; its receiver counted the spans on arrival
  await sleep(1_000);
  const spansReceived = (await acceptedSpans(bench.collector)) - spansBefore;
  if (variant === 'uninstrumented' && spansReceived !== 0) {
    throw new Error(`the uninstrumented demo sent ${spansReceived} spans`);
  }
  const summary = routes.map((r) => `${r.route} ${r.throughput.toFixed(0)} req/s`).join(', ');
  bench.log(`sampling ${sampling} round ${round} ${variant}: ${summary}, ${spansReceived} spans`);
  return {
    sampling,
    round,
    variant,
    rssAfterWarmupBytes: rss,
    requestsServed: served,
    spansReceived,
    loadAverage: loadAverage(),
    routes,
  };
}

/** Variants' launch settings as recorded in the results (paths relative to the repository). */
function recordedLaunches(settings: Settings): BenchResults['variants'] {
  const sampling = settings.samplings[0] ?? 1;
  return Object.fromEntries(
    VARIANTS.map((variant) => {
      const { nodeArgs, env } = variantLaunch(variant, sampling);
      const shown = nodeArgs.map((arg) => (arg.startsWith(REPO_ROOT) ? relative(REPO_ROOT, arg) : arg));
      return [variant, { nodeArgs: shown, env: { ...COMMON_DEMO_ENV, ...env } }];
    }),
  ) as BenchResults['variants'];
}

/** Postgres (migrated, seeded) and the bench collector, shared by every variant; `stop()` ends both. */
export interface BenchEnvironment {
  bench: Bench;
  dir: string;
  stop: (keepLogs: boolean) => Promise<void>;
}

export async function startEnvironment(settings: Settings, log: (message: string) => void): Promise<BenchEnvironment> {
  const dir = mkdtempSync(join(tmpdir(), 'otelkit-bench-'));
  chmodSync(dir, 0o755); // Postgres runs as its own user
  const stops: Array<() => Promise<unknown>> = [];
  // Ctrl-C or a SIGTERM while the environment runs: stop Postgres and the collector (Postgres is not our child
  // process, so it would outlive us), then exit as interrupted.
  const onSignal = (signal: NodeJS.Signals) => {
    log(`${signal}: stopping Postgres and the collector`);
    void stop(false).finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  const stop = async (keepLogs: boolean) => {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
    for (const s of stops.reverse()) await s().catch((error: unknown) => log(`cleanup: ${String(error)}`));
    stops.length = 0;
    if (keepLogs) log(`the logs stay in ${join(dir, 'logs')}`);
    else rmSync(dir, { recursive: true, force: true });
  };
  try {
    // Before any child starts: Postgres, the collector and k6 inherit this process's CPUs; the demo gets its own.
    const pinning = planPinning(allowedCpus(), findTaskset());
    pinThisProcess(pinning);
    log(`CPU pinning: ${describePinning(pinning)}`);
    const collectorPorts = await freeCollectorPorts();
    const ports = { ...(await freeStackPorts()), collectorOtlpGrpc: collectorPorts.otlpGrpc };
    const ctx: StackContext = { ports, dir };
    log(`postgres, collector (logs in ${join(dir, 'logs')})`);
    const postgres = await startPostgres(ctx);
    stops.push(() => postgres.instance.stop());
    runDemoCommand(ports, postgres.url, ['migrate']);
    runDemoCommand(ports, postgres.url, ['seed']);
    const collector = benchCollector(collectorPorts, join(dir, 'logs'));
    await collector.start();
    stops.push(() => collector.stop());
    if (pinning.pinned && collector.pid !== undefined) assertRunsOn(collector.pid, pinning.otherCpus, 'the collector');
    return {
      bench: { ctx, databaseUrl: postgres.url, collector: collectorPorts, settings, pinning, log },
      dir,
      stop,
    };
  } catch (error) {
    await stop(true);
    throw error;
  }
}

/**
 * The whole benchmark: Postgres and the bench collector once, then the cold starts, the load rounds (per sampling
 * ratio: rounds x [uninstrumented, upstream, otelkit], interleaved so drift hits every variant alike) and the
 * /metrics scrape. Every process it starts is stopped, whatever fails.
 */
export async function runBench(settings: Settings, log: (message: string) => void): Promise<BenchResults> {
  const startedAt = new Date().toISOString();
  const loadAverageStart = loadAverage();
  const versionsAtStart = versions(); // the git sha the run measured, before anything is committed meanwhile
  const nprocAtStart = nproc(); // before the harness pins itself to fewer CPUs
  const environment = await startEnvironment(settings, log);
  const { bench, dir } = environment;
  let finished = false;
  try {
    const uninstrumentedModules = await auditUninstrumented(bench);
    const coldStart = await coldStarts(bench);
    const importMs = entryImportTimes(bench.settings.coldStartRuns, appWrapper(bench.pinning));
    bench.log(
      `import times (ms): logger ${importMs.logger.map((ms) => ms.toFixed(0)).join(' ')}, whole package ${importMs.main.map((ms) => ms.toFixed(0)).join(' ')}`,
    );
    const load: LoadRound[] = [];
    for (const sampling of settings.samplings) {
      for (let round = 1; round <= settings.rounds; round++) {
        for (const variant of VARIANTS) load.push(await loadRound(bench, variant, sampling, round));
      }
    }
    log('/metrics scrape with 10,000 series');
    const metricsScrape = await measureScrape({
      ...SCRAPE_SERIES,
      scrapes: settings.scrapes,
      logDir: join(dir, 'logs'),
    });
    const results = parseResults(
      {
        schemaVersion: 1,
        startedAt,
        finishedAt: new Date().toISOString(),
        machine: machineInfo(loadAverageStart, nprocAtStart),
        versions: versionsAtStart,
        settings,
        baseline: { uninstrumentedModules, importMs },
        cpuPinning: bench.pinning,
        variants: recordedLaunches(settings),
        load,
        coldStart,
        metricsScrape,
      },
      'the run',
    );
    finished = true;
    return results;
  } finally {
    await environment.stop(!finished);
  }
}
