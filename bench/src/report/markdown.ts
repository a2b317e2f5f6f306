import type { BenchResults } from '../results-schema.js';
import { ROUTE_IDS, VARIANTS } from '../results-schema.js';
import { median } from '../stats.js';
import type { BenchSummary } from '../stats.js';
import type { TargetVerdict } from '../targets.js';
import { fixed, megabytes, percent, samplingLabel, VARIANT_LABELS } from './format.js';

/** A GitHub-flavoured markdown table. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

const variantHeader = (unit: string) => VARIANTS.map((v) => `${VARIANT_LABELS[v]} (${unit})`);

function throughputTable(summary: BenchSummary, results: BenchResults): string {
  const rows: string[][] = [];
  for (const [sampling, variants] of summary.load) {
    for (const route of ROUTE_IDS) {
      const path = results.load.find((r) => r.sampling === sampling)?.routes.find((m) => m.route === route)?.path;
      rows.push([
        samplingLabel(sampling),
        `${route} \`GET ${path ?? '?'}\``,
        ...VARIANTS.map((v) => {
          const s = variants[v].routes[route];
          return v === 'uninstrumented'
            ? fixed(s.throughput)
            : `${fixed(s.throughput)} (${percent(s.throughputRatio)})`;
        }),
      ]);
    }
  }
  return table(['sampling', 'route', ...variantHeader('req/s, share of uninstrumented')], rows);
}

function costTable(summary: BenchSummary): string {
  const rows: string[][] = [];
  for (const [sampling, variants] of summary.load) {
    for (const route of ROUTE_IDS) {
      rows.push([
        samplingLabel(sampling),
        route,
        ...VARIANTS.map((v) => {
          const s = variants[v].routes[route];
          return `${fixed(s.cpuMsPerRequest, 3)} / ${fixed(s.latencyMedianMs, 2)} / ${fixed(s.latencyP95Ms, 2)}`;
        }),
      ]);
    }
  }
  return table(['sampling', 'route', ...variantHeader('CPU ms per request / p50 ms / p95 ms')], rows);
}

function processTable(summary: BenchSummary): string {
  const rows: string[][] = [
    ['start-up to first response (median)', ...VARIANTS.map((v) => `${fixed(summary.coldStartMs[v])} ms`)],
    ['CPU time used by then (median)', ...VARIANTS.map((v) => `${fixed(summary.coldStartCpuMs[v])} ms`)],
  ];
  for (const [sampling, variants] of summary.load) {
    rows.push([
      `RSS after warm-up, ${samplingLabel(sampling)} sampling (median)`,
      ...VARIANTS.map((v) => megabytes(variants[v].rssAfterWarmupBytes)),
    ]);
    rows.push([
      `spans received per request, ${samplingLabel(sampling)} sampling`,
      ...VARIANTS.map((v) => fixed(variants[v].spansPerRequest, 2)),
    ]);
  }
  return table(['', ...VARIANTS.map((v) => VARIANT_LABELS[v])], rows);
}

function targetsTable(verdicts: readonly TargetVerdict[]): string {
  return table(
    ['target (issues #8 and #14)', 'measured', 'verdict'],
    verdicts.map((t) => [t.target, t.measured, t.met ? 'met' : '**missed**']),
  );
}

const loads = (l: readonly number[]) => l.map((x) => x.toFixed(2)).join(' / ');

/** The CPU pinning bullet (runs from before it was recorded have none). */
function pinningLines(results: BenchResults): string[] {
  const p = results.cpuPinning;
  if (p === undefined) return [];
  return [
    p.pinned
      ? `- CPUs: the demo pinned to CPU ${p.appCpus.join(',')} (\`taskset -c\`), k6, the collector, Postgres and the harness to CPU ${p.otherCpus.join(',')}, so the server and its load do not compete for a core.`
      : `- CPUs: not pinned (${p.reason}): the server and its load shared every core.`,
  ];
}

/** What the run checked of the baseline (runs from before it was recorded have nothing). */
function baselineLines(results: BenchResults): string[] {
  const b = results.baseline;
  if (b === undefined) return [];
  return [
    '',
    `The uninstrumented demo loaded ${b.uninstrumentedModules} modules, none of OpenTelemetry (the run checks it and fails otherwise). ` +
      `Importing \`@otelkit/node/logger\`, the demo's logger, takes ${fixed(median(b.importMs.logger), 1)} ms; the whole \`@otelkit/node\` ` +
      `${fixed(median(b.importMs.main))} ms (medians of ${b.importMs.logger.length} fresh processes each).`,
  ];
}

/** The generated part of docs/benchmarks.md: the run's conditions, the tables, the verdicts and the chart. */
export function renderResultsSection(
  results: BenchResults,
  summary: BenchSummary,
  verdicts: readonly TargetVerdict[],
  options: { resultsFile: string; chartFile: string },
): string {
  const { machine, versions, settings } = results;
  const s = results.metricsScrape;
  return [
    `Run of ${results.startedAt.slice(0, 16).replace('T', ' ')} UTC, raw numbers in [\`${options.resultsFile}\`](${options.resultsFile}).`,
    '',
    `- Machine: ${machine.cpuModel}, \`nproc\` ${machine.nproc}, ${megabytes(machine.memTotalBytes)} RAM, Linux ${machine.kernel}.`,
    `- Load average (1/5/15 min): ${loads(machine.loadAverageStart)} at the start, ${loads(machine.loadAverageEnd)} at the end` +
      // Judged on the start only: at the end, the 1-minute figure is mostly the benchmark's own load (k6 and the
      // demo keep both cores busy), which says nothing about other work.
      (machine.loadAverageStart[0] >= 1
        ? ' — **the machine was busy with other work when this run started: the numbers are noisy; re-run `npm run bench` on a quiet machine.**'
        : '.'),
    ...pinningLines(results),
    `- Versions: Node ${versions.node}, ${versions.k6}, collector \`${versions.collector}\`, @otelkit/node ${versions.otelkitNode}, ` +
      `@opentelemetry/auto-instrumentations-node ${versions.autoInstrumentationsNode}, git ${versions.gitSha.slice(0, 12)}${versions.gitDirty ? ' (with uncommitted changes)' : ''}.`,
    `- Load: ${settings.vus} k6 virtual users, ${settings.warmupSeconds} s warm-up per route (not counted), ${settings.durationSeconds} s measured per route; ` +
      `${settings.rounds} interleaved rounds per sampling ratio; medians over rounds, and shares of uninstrumented throughput as the median of each round's ratio to the same round's uninstrumented run (start-up overhead likewise paired by run).`,
    '',
    '### Throughput',
    '',
    throughputTable(summary, results),
    '',
    `![Throughput per variant](${options.chartFile})`,
    '',
    '### Cost per request',
    '',
    costTable(summary),
    '',
    '### Process',
    '',
    processTable(summary),
    ...baselineLines(results),
    '',
    `\`/metrics\` of @otelkit/node with ${s.userSeries.toLocaleString('en-US')} user series (${s.series.toLocaleString('en-US')} in all, ` +
      `${(s.bytes / 1024).toFixed(0)} kB of \`${s.contentType.split(';')[0]}\`): median scrape ${fixed(summary.scrapeMs, 1)} ms over ${s.durationsMs.length} scrapes.`,
    '',
    '### Targets',
    '',
    targetsTable(verdicts),
  ].join('\n');
}

export const BEGIN_MARKER = '<!-- bench:results:begin (generated by `npm run bench:report`; do not edit) -->';
export const END_MARKER = '<!-- bench:results:end -->';

/** Replaces the generated section of a document, between the markers, keeping everything else as it is. */
export function replaceSection(document: string, section: string): string {
  const begin = document.indexOf(BEGIN_MARKER);
  const end = document.indexOf(END_MARKER);
  if (begin < 0 || end < begin) throw new Error(`the document has no ${BEGIN_MARKER} ... ${END_MARKER} section`);
  return `${document.slice(0, begin + BEGIN_MARKER.length)}\n\n${section}\n\n${document.slice(end)}`;
}
