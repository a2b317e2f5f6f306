import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BENCHMARKS_DOC, THROUGHPUT_SVG } from '../src/paths.js';
import { latestResultsFile, readResults, renderReport } from '../src/report/write-report.js';

describe('docs/benchmarks.md', () => {
  const file = latestResultsFile();

  it('the newest committed results are a valid run of the full benchmark', () => {
    const results = readResults(file);
    expect(results.settings.rounds).toBeGreaterThanOrEqual(3);
    expect(results.settings.samplings).toEqual([1, 0.1]);
  });

  it('shows exactly what the newest results render to (regenerate with `npm run bench:report`)', async () => {
    const current = readFileSync(BENCHMARKS_DOC, 'utf8');
    const rendered = await renderReport(file, current);
    expect(current).toBe(rendered.document);
    expect(readFileSync(THROUGHPUT_SVG, 'utf8')).toBe(rendered.svg);
  });
});
