import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '@otelkit/native-runtime';
import { describe, expect, it } from 'vitest';
import { type FiguresFile, mergeFigures, runOf } from '../src/figures.js';
import { renderReliabilityReport } from '../src/reliability-report.js';

const docs = (name: string) => readFileSync(join(REPO_ROOT, 'docs', name), 'utf8');

describe('docs/reliability.md', () => {
  const figures = JSON.parse(docs('reliability.json')) as FiguresFile;

  it('is rendered from docs/reliability.json (regenerate: npm run test:faults && npm run faults:report)', () => {
    expect(docs('reliability.md')).toBe(renderReliabilityReport(figures));
  });

  it('reports every fault of the suite, measured on a real run', () => {
    const ids = Object.keys(figures.faults).sort();
    expect(ids).toEqual(
      expect.arrayContaining([
        'bad-input',
        'cardinality',
        'collector-outage',
        'jaeger-outage',
        'postgres-restart',
        'rollout',
        'sigterm',
      ]),
    );
    for (const fault of Object.values(figures.faults)) {
      expect(fault.requests, fault.title).toBeGreaterThan(0);
      expect(fault.durationSeconds, fault.title).toBeGreaterThan(0);
    }
    expect(figures.run.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});

describe('mergeFigures', () => {
  const fault = (title: string) => ({
    order: 1,
    title,
    fault: '',
    requests: 1,
    errors: 0,
    details: {},
    durationSeconds: 1,
  });
  it("adds a run's faults to the committed ones, the newer figures of a fault replacing the older", () => {
    const older = { run: { date: '2026-01-01', node: 'v20', cpus: 2 }, faults: { a: fault('a1'), b: fault('b1') } };
    const newer = { run: { date: '2026-01-02', node: 'v20', cpus: 2 }, faults: { b: fault('b2'), c: fault('c2') } };
    const merged = mergeFigures(older, newer);
    expect(Object.fromEntries(Object.entries(merged.faults).map(([id, f]) => [id, f.title]))).toEqual({
      a: 'a1',
      b: 'b2',
      c: 'c2',
    });
    expect(merged.run.date).toBe('2026-01-02');
    expect(mergeFigures(undefined, newer)).toEqual(newer);
  });

  it('keeps the run of each older fault, so the report does not date it to the newer run', () => {
    const older = { run: { date: '2026-01-01', node: 'v20', cpus: 2 }, faults: { a: fault('a1'), b: fault('b1') } };
    const newer = { run: { date: '2026-01-02', node: 'v24', cpus: 2 }, faults: { b: fault('b2') } };
    const merged = mergeFigures(older, newer);
    expect(runOf(merged, merged.faults.a!)).toEqual(older.run);
    expect(runOf(merged, merged.faults.b!)).toEqual(newer.run);
    // merged again with a later run, the first run is still a's
    const later = mergeFigures(merged, { run: { date: '2026-01-03', node: 'v24', cpus: 2 }, faults: {} });
    expect(runOf(later, later.faults.a!)).toEqual(older.run);
    expect(runOf(later, later.faults.b!)).toEqual(newer.run);
  });
});
