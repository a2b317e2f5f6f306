import { parseArgs } from 'node:util';
import type { Settings } from './results-schema.js';

/** The committed run: about 13 minutes on 2 cores. */
export const FULL: Settings = {
  vus: 10,
  warmupSeconds: 4,
  durationSeconds: 10,
  rounds: 3,
  coldStartRuns: 5,
  samplings: [1, 0.1],
  scrapes: 30,
};

/** A harness check: every step once, briefly (about 1 minute); results go to a temp dir unless --out is given. */
export const QUICK: Settings = {
  vus: 10,
  warmupSeconds: 1,
  durationSeconds: 3,
  rounds: 1,
  coldStartRuns: 1,
  samplings: [1, 0.1],
  scrapes: 5,
};

export const USAGE = `usage: npm run bench -- [--quick] [--rounds N] [--duration S] [--warmup S] [--vus N] [--out FILE] [--no-report]
  --quick      every step once, briefly (checks the harness; writes to a temp file, leaves docs/ alone)
  --out FILE   where the results go (default bench/results/<date>.json)
  --no-report  do not regenerate docs/benchmarks.md and its chart`;

export interface CliOptions {
  settings: Settings;
  quick: boolean;
  out: string | undefined;
  report: boolean;
}

const positive = (name: string, value: string | undefined, fallback: number, integer: boolean): number => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new Error(`--${name} expects a positive ${integer ? 'integer' : 'number'}, got ${JSON.stringify(value)}`);
  }
  return n;
};

export function parseCli(args: readonly string[]): CliOptions {
  const { values } = parseArgs({
    args: [...args],
    options: {
      quick: { type: 'boolean' },
      rounds: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      vus: { type: 'string' },
      out: { type: 'string' },
      'no-report': { type: 'boolean' },
    },
    allowPositionals: false,
  });
  const base = values.quick ? QUICK : FULL;
  return {
    settings: {
      ...base,
      rounds: positive('rounds', values.rounds, base.rounds, true),
      durationSeconds: positive('duration', values.duration, base.durationSeconds, false),
      warmupSeconds: values.warmup === '0' ? 0 : positive('warmup', values.warmup, base.warmupSeconds, false),
      vus: positive('vus', values.vus, base.vus, true),
    },
    quick: values.quick === true,
    out: values.out,
    report: values['no-report'] !== true && values.quick !== true,
  };
}

/** bench/results/<date>.json: the run's start, to the minute, UTC (sorts by date). */
export function resultsFileName(startedAt: string): string {
  return `${startedAt.slice(0, 16).replace(':', '-')}Z.json`;
}
