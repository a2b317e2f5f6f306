import { loadavg } from 'node:os';
import { readFigures } from './figures.js';

/** The floor of the fault suite's load (requests/s), when the machine sustains twice as much. */
export const FLOOR_RATE = 100;
/** Id and detail key of the ceiling measurement in the figures file (ceiling.fault.test.ts). */
export const CEILING_ID = 'ceiling';
export const CEILING_KEY = 'sustained ceiling (req/s)';

/**
 * The k6 rate (requests/s) every fault runs at: OTELKIT_FAULT_RATE when set; otherwise from the ceiling that
 * ceiling.fault.test.ts measured (it runs first in the suite and records it in the figures file): 100 when the demo
 * sustains at least 200 req/s on this machine, half the ceiling when less; 100 when nothing was measured.
 */
export function faultRate(env: Readonly<Record<string, string | undefined>> = process.env): number {
  const value = env.OTELKIT_FAULT_RATE;
  if (value !== undefined && value !== '') {
    if (!/^\d+$/.test(value) || Number(value) < 1) {
      throw new Error(`OTELKIT_FAULT_RATE must be a positive integer (requests/s), got ${JSON.stringify(value)}`);
    }
    return Number(value);
  }
  const ceiling = Number(readFigures()?.faults[CEILING_ID]?.details[CEILING_KEY]);
  return rateForCeiling(Number.isFinite(ceiling) ? ceiling : undefined);
}

/** 100 req/s when `ceiling` is at least twice that (or unknown), half of it otherwise. */
export function rateForCeiling(ceiling: number | undefined): number {
  if (ceiling === undefined || ceiling >= 2 * FLOOR_RATE) return FLOOR_RATE;
  return Math.max(1, Math.floor(ceiling / 2));
}

/** The machine's 1, 5 and 15 minute load averages, two decimals: the suite shares its cores with others. */
export const loadAverages = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');
