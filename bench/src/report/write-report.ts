import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { BENCHMARKS_DOC, RESULTS_DIR, THROUGHPUT_SVG } from '../paths.js';
import { type BenchResults, parseResults, type RouteId } from '../results-schema.js';
import { summarize } from '../stats.js';
import { evaluateTargets } from '../targets.js';
import { renderResultsSection, replaceSection } from './markdown.js';
import { prettify } from './prettier.js';
import { renderThroughputSvg } from './svg.js';

/** The newest bench/results/*.json (names sort by date). */
export function latestResultsFile(dir = RESULTS_DIR): string {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  const last = files.at(-1);
  if (last === undefined) throw new Error(`no results in ${dir}: run \`npm run bench\``);
  return join(dir, last);
}

export function readResults(file: string): BenchResults {
  return parseResults(JSON.parse(readFileSync(file, 'utf8')) as unknown, basename(file));
}

export interface RenderedReport {
  document: string;
  svg: string;
}

/** docs/benchmarks.md (its generated section replaced) and the chart, from one results file. */
export async function renderReport(resultsFile: string, currentDocument: string): Promise<RenderedReport> {
  const results = readResults(resultsFile);
  const summary = summarize(results);
  const verdicts = evaluateTargets(summary);
  const docDir = dirname(BENCHMARKS_DOC);
  const paths = Object.fromEntries((results.load[0]?.routes ?? []).map((r) => [r.route, r.path])) as Record<
    RouteId,
    string
  >;
  const section = renderResultsSection(results, summary, verdicts, {
    resultsFile: relative(docDir, resultsFile),
    chartFile: relative(docDir, THROUGHPUT_SVG),
  });
  return {
    document: await prettify(replaceSection(currentDocument, section), BENCHMARKS_DOC),
    svg: renderThroughputSvg(summary, paths),
  };
}

/** Rewrites docs/benchmarks.md's generated section and the chart from a results file (the newest by default). */
export async function writeReport(resultsFile = latestResultsFile()): Promise<RenderedReport> {
  const report = await renderReport(resultsFile, readFileSync(BENCHMARKS_DOC, 'utf8'));
  writeFileSync(BENCHMARKS_DOC, report.document);
  writeFileSync(THROUGHPUT_SVG, report.svg);
  return report;
}
