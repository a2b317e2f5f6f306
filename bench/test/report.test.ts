import { describe, expect, it } from 'vitest';
import { BEGIN_MARKER, END_MARKER, renderResultsSection, replaceSection, table } from '../src/report/markdown.js';
import { escapeXml, renderThroughputSvg } from '../src/report/svg.js';
import { summarize } from '../src/stats.js';
import { evaluateTargets } from '../src/targets.js';
import { sampleResults } from './fixtures.js';

const results = sampleResults();
const summary = summarize(results);
const paths = { postgres: '/items/1', trivial: '/version' };

describe('markdown', () => {
  it('renders a table with a separator row', () => {
    expect(table(['a', 'b'], [['1', '2']])).toBe('| a | b |\n| --- | --- |\n| 1 | 2 |');
  });

  const section = renderResultsSection(results, summary, evaluateTargets(summary), {
    resultsFile: '../bench/results/x.json',
    chartFile: 'chart.svg',
  });

  it('shows medians with the share of uninstrumented throughput per sampling ratio and route', () => {
    expect(section).toContain('| 100% | postgres `GET /items/1` | 1000 | 700 (70.0%) | 950 (95.0%) |');
    expect(section).toContain('| 10% | trivial `GET /version` | 4000 | 1632 (40.8%) | 3060 (76.5%) |');
  });

  it('states the machine, its load average and the versions', () => {
    expect(section).toContain('`nproc` 2');
    expect(section).toContain('0.50 / 0.40 / 0.30 at the start');
    expect(section).toContain('@opentelemetry/auto-instrumentations-node 0.82.0');
    expect(section).not.toContain('busy');
  });

  it('says how CPUs were pinned, or why not, and nothing for runs from before pinning', () => {
    expect(section).toContain(
      'the demo pinned to CPU 1 (`taskset -c`), k6, the collector, Postgres and the harness to CPU 0',
    );
    const unpinned = sampleResults();
    unpinned.cpuPinning = { pinned: false, reason: 'taskset (util-linux) is not installed' };
    expect(renderResultsSection(unpinned, summary, [], { resultsFile: 'x.json', chartFile: 'c.svg' })).toContain(
      '- CPUs: not pinned (taskset (util-linux) is not installed)',
    );
    const older = sampleResults();
    delete older.cpuPinning;
    expect(renderResultsSection(older, summary, [], { resultsFile: 'x.json', chartFile: 'c.svg' })).not.toContain(
      'CPUs',
    );
  });

  it("reports the baseline's module audit and the logger's import time (median)", () => {
    expect(section).toContain('The uninstrumented demo loaded 412 modules, none of OpenTelemetry');
    expect(section).toContain('takes 13.0 ms; the whole `@otelkit/node` 640 ms (medians of 3 fresh processes each)');
  });

  it("warns when the machine was busy at the start (the end includes the benchmark's own load)", () => {
    const own = sampleResults();
    own.machine.loadAverageEnd = [3.2, 2, 1];
    expect(renderResultsSection(own, summary, [], { resultsFile: 'x.json', chartFile: 'c.svg' })).not.toContain('busy');
    const busy = sampleResults();
    busy.machine.loadAverageStart = [3.2, 2, 1];
    const text = renderResultsSection(busy, summary, [], { resultsFile: 'x.json', chartFile: 'c.svg' });
    expect(text).toContain('the machine was busy with other work when this run started');
  });

  it('lists every target with its verdict, misses in bold', () => {
    expect(section).toMatch(
      /\| 10% sampling, trivial route: otelkit keeps >= 90.0% of uninstrumented throughput \| 76.5% \| \*\*missed\*\* \|/,
    );
    expect(section).toMatch(/\| startup overhead <= 150 ms \| 120 ms \(90 ms more CPU\) \| met \|/);
  });

  it('replaces only the generated section of a document', () => {
    const doc = `# Title\n\nintro\n\n${BEGIN_MARKER}\nold\n${END_MARKER}\n\n## Method\n`;
    const out = replaceSection(doc, 'new');
    expect(out).toBe(`# Title\n\nintro\n\n${BEGIN_MARKER}\n\nnew\n\n${END_MARKER}\n\n## Method\n`);
    expect(replaceSection(out, 'new')).toBe(out);
    expect(() => replaceSection('# no markers', 'x')).toThrow(/no <!-- bench:results:begin/);
  });
});

describe('throughput chart', () => {
  const svg = renderThroughputSvg(summary, paths);

  it('draws one bar per variant in each sampling ratio x route panel', () => {
    expect(svg.match(/<rect x="230"/g)).toHaveLength(2 * 2 * 3);
    expect(svg).toContain('100% sampling, postgres route (GET /items/1)');
    expect(svg).toContain('10% sampling, trivial route (GET /version)');
  });

  it('scales bars to the largest of their panel and labels them with req/s and share', () => {
    expect(svg).toContain('<rect x="230" y="66" width="330" height="18" fill="#7f7f7f"/>');
    expect(svg).toContain('<rect x="230" y="90" width="231" height="18" fill="#d62728"/>');
    expect(svg).toContain('950 (95.0%)');
  });

  it('is well-formed, deterministic SVG with escaped text', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(renderThroughputSvg(summary, paths)).toBe(svg);
    expect(escapeXml('<a & "b">')).toBe('&#60;a &#38; &#34;b&#34;&#62;');
  });
});
