import type { RouteId } from './results-schema.js';
import { ROUTE_IDS } from './results-schema.js';
import type { BenchSummary } from './stats.js';

/** One of issue #8's and #14's targets, as measured: reported in docs/benchmarks.md, never asserted by a test. */
export interface TargetVerdict {
  target: string;
  measured: string;
  met: boolean;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const ROUTE_NAMES: Record<RouteId, string> = { postgres: 'Postgres route', trivial: 'trivial route' };

/** Minimum share of uninstrumented throughput that otelkit keeps, per sampling ratio and route. */
const MIN_RATIO: Record<string, Record<RouteId, number>> = {
  '1': { postgres: 0.9, trivial: 0.7 },
  '0.1': { postgres: 0.9, trivial: 0.9 },
};
const MAX_STARTUP_OVERHEAD_MS = 150;
const MAX_RSS_OVERHEAD_BYTES = 40 * 1024 * 1024;
/** Median `/metrics` scrape with 10,000 user series (issue #14). */
const MAX_SCRAPE_MS = 20;

export function evaluateTargets(summary: BenchSummary): TargetVerdict[] {
  const verdicts: TargetVerdict[] = [];
  for (const [sampling, variants] of summary.load) {
    const label = `${sampling * 100}% sampling`;
    for (const route of ROUTE_IDS) {
      const otelkit = variants.otelkit.routes[route].throughputRatio;
      const upstream = variants.upstream.routes[route].throughputRatio;
      const min = MIN_RATIO[String(sampling)]?.[route];
      if (min !== undefined) {
        verdicts.push({
          target: `${label}, ${ROUTE_NAMES[route]}: otelkit keeps >= ${pct(min)} of uninstrumented throughput`,
          measured: pct(otelkit),
          met: otelkit >= min,
        });
      }
      const lossOtelkit = 1 - otelkit;
      const lossUpstream = 1 - upstream;
      verdicts.push({
        target: `${label}, ${ROUTE_NAMES[route]}: otelkit loses at most half as much throughput as the upstream defaults`,
        measured: `otelkit -${pct(lossOtelkit)}, upstream -${pct(lossUpstream)}`,
        met: lossOtelkit <= Math.max(0, lossUpstream) / 2,
      });
    }
  }
  const { ms: startup, cpuMs: startupCpu } = summary.startupOverhead;
  verdicts.push({
    target: `startup overhead <= ${MAX_STARTUP_OVERHEAD_MS} ms`,
    measured: `${startup.toFixed(0)} ms (${startupCpu.toFixed(0)} ms more CPU)`,
    met: startup <= MAX_STARTUP_OVERHEAD_MS,
  });
  const full = summary.load.get(1) ?? [...summary.load.values()][0];
  if (full !== undefined) {
    const rss = full.otelkit.rssAfterWarmupBytes - full.uninstrumented.rssAfterWarmupBytes;
    verdicts.push({
      target: `RSS overhead <= ${MAX_RSS_OVERHEAD_BYTES / 1024 / 1024} MB`,
      measured: `${(rss / 1024 / 1024).toFixed(1)} MB`,
      met: rss <= MAX_RSS_OVERHEAD_BYTES,
    });
  }
  verdicts.push({
    target: `/metrics with 10,000 series <= ${MAX_SCRAPE_MS} ms`,
    measured: `${summary.scrapeMs.toFixed(1)} ms`,
    met: summary.scrapeMs <= MAX_SCRAPE_MS,
  });
  return verdicts;
}
