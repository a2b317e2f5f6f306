import type { BenchResults, ColdStart, RouteId, Variant } from './results-schema.js';
import { ROUTE_IDS, VARIANTS } from './results-schema.js';

/** The median of a non-empty list (the mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** value / baseline; a zero baseline has no ratio. */
export function ratio(value: number, baseline: number): number {
  if (baseline === 0) throw new Error('ratio to a zero baseline');
  return value / baseline;
}

/** Medians of one variant on one route at one sampling ratio, over its rounds. */
interface RouteSummary {
  throughput: number;
  /** Median over rounds of throughput / the uninstrumented throughput of the same round, route and sampling. */
  throughputRatio: number;
  cpuMsPerRequest: number;
  latencyMedianMs: number;
  latencyP95Ms: number;
  rounds: number;
}

interface VariantSummary {
  routes: Record<RouteId, RouteSummary>;
  rssAfterWarmupBytes: number;
  spansPerRequest: number;
}

/** What docs/benchmarks.md reports: medians per variant, and ratios to the uninstrumented baseline. */
export interface BenchSummary {
  /** Keyed by sampling ratio (`1`, `0.1`). */
  load: Map<number, Record<Variant, VariantSummary>>;
  coldStartMs: Record<Variant, number>;
  coldStartCpuMs: Record<Variant, number>;
  /** otelkit's start-up minus the uninstrumented one of the same run (interleaved), median over runs: wall, CPU. */
  startupOverhead: { ms: number; cpuMs: number };
  scrapeMs: number;
}

export function summarize(results: BenchResults): BenchSummary {
  const load = new Map<number, Record<Variant, VariantSummary>>();
  for (const sampling of results.settings.samplings) {
    const rounds = results.load.filter((r) => r.sampling === sampling);
    const routeMedians = (variant: Variant, route: RouteId) => {
      const measured = rounds
        .filter((r) => r.variant === variant)
        .flatMap((r) => r.routes.filter((m) => m.route === route));
      if (measured.length === 0) throw new Error(`no ${variant} rounds on ${route} at sampling ${sampling}`);
      return {
        throughput: median(measured.map((m) => m.throughput)),
        cpuMsPerRequest: median(measured.map((m) => m.cpuMsPerRequest)),
        latencyMedianMs: median(measured.map((m) => m.latencyMedianMs)),
        latencyP95Ms: median(measured.map((m) => m.latencyP95Ms)),
        rounds: measured.length,
      };
    };
    // Each round's throughput over the uninstrumented throughput of the same round, then the median over rounds:
    // the rounds are interleaved, so drift of the machine's speed between rounds (a VM's CPU steal) cancels.
    const pairedRatio = (variant: Variant, route: RouteId) => {
      const throughputOf = (v: Variant, round: number) =>
        rounds.find((r) => r.variant === v && r.round === round)?.routes.find((m) => m.route === route)?.throughput;
      const ratios = rounds
        .filter((r) => r.variant === variant)
        .flatMap((r) => {
          const own = throughputOf(variant, r.round);
          const base = throughputOf('uninstrumented', r.round);
          return own === undefined || base === undefined ? [] : [ratio(own, base)];
        });
      if (ratios.length === 0) throw new Error(`no uninstrumented round to pair ${variant} on ${route} with`);
      return median(ratios);
    };
    const perVariant = Object.fromEntries(
      VARIANTS.map((variant) => {
        const own = rounds.filter((r) => r.variant === variant);
        const served = own.reduce((sum, r) => sum + r.requestsServed, 0);
        const spans = own.reduce((sum, r) => sum + r.spansReceived, 0);
        const routes = Object.fromEntries(
          ROUTE_IDS.map((route) => {
            const m = routeMedians(variant, route);
            return [route, { ...m, throughputRatio: pairedRatio(variant, route) }];
          }),
        ) as Record<RouteId, RouteSummary>;
        return [
          variant,
          {
            routes,
            rssAfterWarmupBytes: median(own.map((r) => r.rssAfterWarmupBytes)),
            spansPerRequest: served === 0 ? 0 : spans / served,
          },
        ];
      }),
    ) as Record<Variant, VariantSummary>;
    load.set(sampling, perVariant);
  }
  const coldStart = (value: (c: ColdStart) => number) =>
    Object.fromEntries(
      VARIANTS.map((variant) => [variant, median(results.coldStart.filter((c) => c.variant === variant).map(value))]),
    ) as Record<Variant, number>;
  return {
    load,
    coldStartMs: coldStart((c) => c.msToFirstResponse),
    coldStartCpuMs: coldStart((c) => c.cpuMsToFirstResponse),
    startupOverhead: {
      ms: pairedDifference(results.coldStart, (c) => c.msToFirstResponse),
      cpuMs: pairedDifference(results.coldStart, (c) => c.cpuMsToFirstResponse),
    },
    scrapeMs: median(results.metricsScrape.durationsMs),
  };
}

/** Median over runs of otelkit's value minus the uninstrumented value of the same run. */
function pairedDifference(starts: readonly ColdStart[], value: (c: ColdStart) => number): number {
  const differences = starts
    .filter((c) => c.variant === 'otelkit')
    .flatMap((c) => {
      const base = starts.find((b) => b.variant === 'uninstrumented' && b.run === c.run);
      return base === undefined ? [] : [value(c) - value(base)];
    });
  if (differences.length === 0) throw new Error('no uninstrumented cold start to pair otelkit with');
  return median(differences);
}
