import { describe, expect, it } from 'vitest';
import { parseResults } from '../src/results-schema.js';
import { sampleResults } from './fixtures.js';

describe('parseResults', () => {
  it('accepts a complete results document, JSON round trip included', () => {
    const results = sampleResults();
    expect(parseResults(JSON.parse(JSON.stringify(results)))).toEqual(results);
  });

  it('names every problem with its path', () => {
    const broken = JSON.parse(JSON.stringify(sampleResults())) as Record<string, any>;
    broken.load[0].variant = 'datadog';
    broken.machine.nproc = 0;
    delete broken.metricsScrape;
    expect(() => parseResults(broken, '2026-11-23.json')).toThrow(
      /2026-11-23\.json is not a valid benchmark result:[\s\S]*machine\.nproc[\s\S]*load\.0\.variant[\s\S]*metricsScrape/,
    );
  });

  it('accepts runs from before the baseline checks and the CPU pinning were recorded, and an unpinned run', () => {
    const older = JSON.parse(JSON.stringify(sampleResults())) as Record<string, unknown>;
    delete older.baseline;
    delete older.cpuPinning;
    expect(parseResults(older).cpuPinning).toBeUndefined();
    const unpinned = { ...sampleResults(), cpuPinning: { pinned: false, reason: 'only 1 CPU available' } };
    expect(parseResults(unpinned).cpuPinning).toEqual({ pinned: false, reason: 'only 1 CPU available' });
    expect(() =>
      parseResults({ ...sampleResults(), cpuPinning: { pinned: true, appCpus: [], otherCpus: [0] } }),
    ).toThrow(/cpuPinning\.appCpus/);
  });

  it('refuses a share of failed requests outside [0, 1] and an unknown schema version', () => {
    const broken = JSON.parse(JSON.stringify(sampleResults())) as Record<string, any>;
    broken.load[0].routes[0].failedRate = 2;
    broken.schemaVersion = 2;
    expect(() => parseResults(broken)).toThrow(/schemaVersion[\s\S]*failedRate|failedRate[\s\S]*schemaVersion/);
  });
});
