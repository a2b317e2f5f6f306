import type { BenchResults, LoadRound, RouteId, Variant } from '../src/results-schema.js';
import { VARIANTS } from '../src/results-schema.js';

/** Throughput of each variant per route, scaled per round so medians are easy to check by hand. */
const BASE: Record<Variant, Record<RouteId, number>> = {
  uninstrumented: { postgres: 1000, trivial: 4000 },
  upstream: { postgres: 700, trivial: 1600 },
  otelkit: { postgres: 950, trivial: 3000 },
};
const ROUND_FACTOR = [1, 0.9, 1.1];

function round(sampling: number, index: number, variant: Variant): LoadRound {
  const factor = ROUND_FACTOR[index] ?? 1;
  const routes = (['postgres', 'trivial'] as const).map((route) => {
    const throughput = BASE[variant][route] * factor * (sampling < 1 && variant !== 'uninstrumented' ? 1.02 : 1);
    const requests = Math.round(throughput * 10);
    return {
      route,
      path: route === 'postgres' ? '/items/1' : '/version',
      requests,
      durationSeconds: 10,
      throughput,
      failedRate: 0,
      latencyMedianMs: 1000 / throughput,
      latencyP95Ms: 3000 / throughput,
      cpuMs: requests * 0.5,
      cpuMsPerRequest: 0.5,
    };
  });
  return {
    sampling,
    round: index + 1,
    variant,
    rssAfterWarmupBytes: (variant === 'uninstrumented' ? 100 : variant === 'otelkit' ? 130 : 170) * 1024 * 1024,
    requestsServed: 1000,
    spansReceived: variant === 'uninstrumented' ? 0 : variant === 'otelkit' ? 3000 * sampling : 8000 * sampling,
    loadAverage: [0.5, 0.4, 0.3],
    routes,
  };
}

/** A complete, valid results document: 2 sampling ratios x 3 rounds x 3 variants. */
export function sampleResults(): BenchResults {
  const samplings = [1, 0.1];
  return {
    schemaVersion: 1,
    startedAt: '2026-11-23T17:00:00.000Z',
    finishedAt: '2026-11-23T17:12:00.000Z',
    machine: {
      hostname: 'vm',
      nproc: 2,
      cpuModel: 'AMD EPYC',
      memTotalBytes: 8 * 1024 ** 3,
      kernel: '6.1.0',
      loadAverageStart: [0.5, 0.4, 0.3],
      loadAverageEnd: [0.7, 0.5, 0.3],
    },
    versions: {
      node: 'v20.20.2',
      k6: 'k6 v2.2.0',
      collector: 'otelcol-otelkit version 0.159.0-otelkit',
      otelkitNode: '0.1.0',
      autoInstrumentationsNode: '0.82.0',
      gitSha: '0123456789abcdef0123456789abcdef01234567',
      gitDirty: false,
    },
    settings: {
      vus: 10,
      warmupSeconds: 5,
      durationSeconds: 10,
      rounds: 3,
      coldStartRuns: 3,
      samplings,
      scrapes: 3,
    },
    baseline: { uninstrumentedModules: 412, importMs: { logger: [14, 12, 13], main: [640, 610, 700] } },
    cpuPinning: { pinned: true, appCpus: [1], otherCpus: [0] },
    variants: {
      uninstrumented: { nodeArgs: [], env: {} },
      upstream: { nodeArgs: ['--import', 'x/register.mjs'], env: { OTEL_TRACES_EXPORTER: 'otlp' } },
      otelkit: { nodeArgs: ['--import', '@otelkit/node/register'], env: {} },
    },
    load: samplings.flatMap((sampling) =>
      [0, 1, 2].flatMap((index) => VARIANTS.map((variant) => round(sampling, index, variant))),
    ),
    coldStart: [1, 2, 3].flatMap((run) =>
      VARIANTS.map((variant) => ({
        variant,
        run,
        msToFirstResponse: { uninstrumented: 400, upstream: 1400, otelkit: 520 }[variant] + run * 10,
        cpuMsToFirstResponse: { uninstrumented: 300, upstream: 1000, otelkit: 390 }[variant] + run,
      })),
    ),
    metricsScrape: {
      series: 10_300,
      userSeries: 10_000,
      bytes: 800_000,
      contentType: 'application/openmetrics-text; version=1.0.0; charset=utf-8',
      durationsMs: [40, 50, 45],
    },
  };
}
