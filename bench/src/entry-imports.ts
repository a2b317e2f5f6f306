import { execFileSync } from 'node:child_process';
import { IMPORT_TIME_FIXTURE } from './paths.js';

/** The entry points whose import time the benchmark records: the light logger, and the whole package for scale. */
const MEASURED_ENTRIES = { logger: '@otelkit/node/logger', main: '@otelkit/node' } as const;

/**
 * Milliseconds to import each entry point in a fresh process, `runs` times interleaved, run through `wrapper` (the
 * demo's CPU pinning), so the figures are comparable with the demo's start-up.
 */
export function entryImportTimes(runs: number, wrapper: readonly string[]): { logger: number[]; main: number[] } {
  const times = { logger: [] as number[], main: [] as number[] };
  for (let run = 0; run < runs; run++) {
    for (const [name, specifier] of Object.entries(MEASURED_ENTRIES) as Array<[keyof typeof times, string]>) {
      const [command = process.execPath, ...prefix] = [...wrapper, process.execPath];
      const out = execFileSync(command, [...prefix, IMPORT_TIME_FIXTURE, specifier], {
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '' },
      });
      const ms = Number(out.trim());
      if (!(ms > 0)) throw new Error(`import-time printed ${JSON.stringify(out)} for ${specifier}`);
      times[name].push(ms);
    }
  }
  return times;
}
