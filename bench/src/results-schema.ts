import { z } from 'zod';

/** The three ways the demo runs, in the order of every round (A B C). */
export const VARIANTS = ['uninstrumented', 'upstream', 'otelkit'] as const;
export const Variant = z.enum(VARIANTS);
export type Variant = z.infer<typeof Variant>;

/** The two routes under load: a Postgres-backed read and a route that does no I/O. */
export const ROUTE_IDS = ['postgres', 'trivial'] as const;
export const RouteId = z.enum(ROUTE_IDS);
export type RouteId = z.infer<typeof RouteId>;

const LoadAverage = z.tuple([z.number(), z.number(), z.number()]);

/** One route measured in one round: what k6 saw and what the demo process spent meanwhile. */
export const RouteMeasurement = z.object({
  route: RouteId,
  path: z.string(),
  requests: z.int().nonnegative(),
  durationSeconds: z.number().positive(),
  /** Successful requests per second. */
  throughput: z.number().nonnegative(),
  failedRate: z.number().min(0).max(1),
  latencyMedianMs: z.number().nonnegative(),
  latencyP95Ms: z.number().nonnegative(),
  /** User + system CPU time of the demo process during the measured window (/proc/<pid>/stat). */
  cpuMs: z.number().nonnegative(),
  cpuMsPerRequest: z.number().nonnegative(),
});
export type RouteMeasurement = z.infer<typeof RouteMeasurement>;

/** One variant in one round: a fresh process, warmed up, then each route measured. */
export const LoadRound = z.object({
  sampling: z.number().min(0).max(1),
  round: z.int().positive(),
  variant: Variant,
  rssAfterWarmupBytes: z.int().positive(),
  /** Requests the process served in its life (warm-up and measured) and spans the collector accepted meanwhile. */
  requestsServed: z.int().nonnegative(),
  spansReceived: z.int().nonnegative(),
  loadAverage: LoadAverage,
  routes: z.array(RouteMeasurement).min(1),
});
export type LoadRound = z.infer<typeof LoadRound>;

export const ColdStart = z.object({
  variant: Variant,
  run: z.int().positive(),
  /** From spawning `node` to the first 200 of the trivial route. */
  msToFirstResponse: z.number().positive(),
  /** CPU time (user + system) the process had used by then: less sensitive to a busy machine than the wall time. */
  cpuMsToFirstResponse: z.number().nonnegative(),
});
export type ColdStart = z.infer<typeof ColdStart>;

export const MetricsScrape = z.object({
  /** Series on /metrics (sample lines, # lines excluded), of which `userSeries` come from the app's registry. */
  series: z.int().positive(),
  userSeries: z.int().positive(),
  bytes: z.int().positive(),
  contentType: z.string(),
  durationsMs: z.array(z.number().positive()).min(1),
  /** The fixture's CPU time (user + system) over the measured scrapes, per scrape (runs since 2026-11-26). */
  cpuMsPerScrape: z.number().nonnegative().optional(),
});
export type MetricsScrape = z.infer<typeof MetricsScrape>;

export const Settings = z.object({
  vus: z.int().positive(),
  warmupSeconds: z.number().nonnegative(),
  durationSeconds: z.number().positive(),
  rounds: z.int().positive(),
  coldStartRuns: z.int().positive(),
  samplings: z.array(z.number().min(0).max(1)).min(1),
  scrapes: z.int().positive(),
});
export type Settings = z.infer<typeof Settings>;

const Cpus = z.array(z.int().nonnegative()).min(1);

/**
 * How the run kept the demo and its load apart: the demo on `appCpus` (`taskset -c`), everything else (k6, the
 * collector, Postgres, the harness) on `otherCpus`; or why it did not.
 */
export const CpuPinning = z.discriminatedUnion('pinned', [
  z.object({ pinned: z.literal(true), appCpus: Cpus, otherCpus: Cpus }),
  z.object({ pinned: z.literal(false), reason: z.string() }),
]);
export type CpuPinning = z.infer<typeof CpuPinning>;

/** bench/results/<date>.json: everything a run measured, raw, with the machine and versions it ran on. */
export const BenchResults = z.object({
  schemaVersion: z.literal(1),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  machine: z.object({
    hostname: z.string(),
    nproc: z.int().positive(),
    cpuModel: z.string(),
    memTotalBytes: z.int().positive(),
    kernel: z.string(),
    loadAverageStart: LoadAverage,
    loadAverageEnd: LoadAverage,
  }),
  versions: z.object({
    node: z.string(),
    k6: z.string(),
    collector: z.string(),
    otelkitNode: z.string(),
    autoInstrumentationsNode: z.string(),
    gitSha: z.string(),
    gitDirty: z.boolean(),
  }),
  settings: Settings,
  /**
   * The baseline's checks (absent in older runs): modules the uninstrumented demo loaded, none of them
   * OpenTelemetry's (the run fails otherwise), and the import time of @otelkit/node/logger (what the demo imports)
   * and of the whole @otelkit/node, each in fresh processes.
   */
  baseline: z
    .object({
      uninstrumentedModules: z.int().positive(),
      importMs: z.object({
        logger: z.array(z.number().positive()).min(1),
        main: z.array(z.number().positive()).min(1),
      }),
    })
    .optional(),
  /** Absent in runs from before the benchmark pinned CPUs (they were not pinned). */
  cpuPinning: CpuPinning.optional(),
  /** Exactly how each variant was started (node options and the environment beyond the demo's own). */
  variants: z.record(Variant, z.object({ nodeArgs: z.array(z.string()), env: z.record(z.string(), z.string()) })),
  load: z.array(LoadRound).min(1),
  coldStart: z.array(ColdStart).min(1),
  metricsScrape: MetricsScrape,
});
export type BenchResults = z.infer<typeof BenchResults>;

/** Parses a results document, with every problem and its path in the error. */
export function parseResults(json: unknown, source = 'results'): BenchResults {
  const parsed = BenchResults.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`${source} is not a valid benchmark result:\n${problems.join('\n')}`);
  }
  return parsed.data;
}
