import { describe, expect, it } from 'vitest';
import { FULL, parseCli, QUICK, resultsFileName } from '../src/settings.js';

describe('parseCli', () => {
  it('runs the full benchmark and regenerates the report by default', () => {
    expect(parseCli([])).toEqual({ settings: FULL, quick: false, out: undefined, report: true });
  });

  it('--quick runs every step briefly and leaves the docs alone', () => {
    expect(parseCli(['--quick'])).toMatchObject({ settings: QUICK, quick: true, report: false });
  });

  it('overrides rounds, duration, warm-up and users', () => {
    const { settings } = parseCli(['--rounds', '5', '--duration', '2.5', '--warmup', '0', '--vus', '4']);
    expect(settings).toMatchObject({ rounds: 5, durationSeconds: 2.5, warmupSeconds: 0, vus: 4 });
  });

  it('refuses bad numbers and unknown options', () => {
    expect(() => parseCli(['--rounds', '1.5'])).toThrow(/--rounds expects a positive integer/);
    expect(() => parseCli(['--duration', '0'])).toThrow(/--duration expects a positive number/);
    expect(() => parseCli(['--fast'])).toThrow(/fast/);
  });
});

describe('resultsFileName', () => {
  it('is the start time to the minute, UTC, so names sort by date', () => {
    expect(resultsFileName('2026-11-23T17:05:42.123Z')).toBe('2026-11-23T17-05Z.json');
  });
});
