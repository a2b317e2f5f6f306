import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CEILING_ID, CEILING_KEY, FLOOR_RATE, faultRate, rateForCeiling } from '../src/index.js';

describe('the rate of the faults', () => {
  const dir = mkdtempSync(join(tmpdir(), 'otelkit-fault-rate-'));
  const figures = join(dir, 'figures.json');
  afterEach(() => rmSync(figures, { force: true }));

  const withCeiling = (ceiling: number) =>
    writeFileSync(
      figures,
      JSON.stringify({ run: {}, faults: { [CEILING_ID]: { details: { [CEILING_KEY]: ceiling } } } }),
    );

  it('is 100 req/s when the machine sustains at least 200, half the ceiling below that', () => {
    expect(rateForCeiling(undefined)).toBe(FLOOR_RATE);
    expect(rateForCeiling(200)).toBe(100);
    expect(rateForCeiling(600)).toBe(100);
    expect(rateForCeiling(150)).toBe(75);
    expect(rateForCeiling(75)).toBe(37);
  });

  it('reads the ceiling the suite measured, unless OTELKIT_FAULT_RATE sets the rate', () => {
    const previous = process.env.OTELKIT_FAULTS_FIGURES;
    process.env.OTELKIT_FAULTS_FIGURES = figures;
    try {
      expect(faultRate({})).toBe(100); // nothing measured
      withCeiling(150);
      expect(faultRate({})).toBe(75);
      expect(faultRate({ OTELKIT_FAULT_RATE: '40' })).toBe(40);
      expect(() => faultRate({ OTELKIT_FAULT_RATE: 'fast' })).toThrow(/positive integer/);
    } finally {
      if (previous === undefined) delete process.env.OTELKIT_FAULTS_FIGURES;
      else process.env.OTELKIT_FAULTS_FIGURES = previous;
    }
  });
});
