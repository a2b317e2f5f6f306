import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from '@otelkit/native-runtime';

/** When and where figures were measured. */
export interface RunInfo {
  date: string;
  node: string;
  cpus: number;
}

/** What one fault test measured: the figures docs/reliability.md reports. */
export interface FaultFigures {
  /** Position in the report (the numbering). */
  order: number;
  title: string;
  /** What was done to the stack, in one sentence. */
  fault: string;
  /** Requests sent to the demo during the test (k6 and the test's own clients). */
  requests: number;
  /** Requests that failed although they should not have (wrong status, network error, bad body). */
  errors: number;
  /** Seconds from the end of the fault until the service worked again (when the fault has an end). */
  recoverySeconds?: number;
  /** The demo's resident memory (MiB): before the fault, its peak, and the bound the test asserts. */
  memoryMiB?: { before: number; peak: number; bound: number };
  /** Further figures by name (dropped spans, queue sizes, series counts...). */
  details: Record<string, string | number>;
  /** Wall-clock seconds of the test. */
  durationSeconds: number;
  /** The run that measured this fault, when it is not the file's (faults merged from different runs). */
  run?: RunInfo;
}

export interface FiguresFile {
  /** When and where the figures were measured (the newest run, for a merged file). */
  run: RunInfo;
  faults: Record<string, FaultFigures>;
}

/** Where the suite writes its figures: OTELKIT_FAULTS_FIGURES, or faults/out/figures.json. */
export function figuresPath(): string {
  return process.env.OTELKIT_FAULTS_FIGURES ?? join(REPO_ROOT, 'faults', 'out', 'figures.json');
}

export function readFigures(path = figuresPath()): FiguresFile | undefined {
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as FiguresFile) : undefined;
}

/** Adds (or replaces) one fault's figures in the figures file; other faults' figures are kept. */
export function recordFigures(id: string, figures: FaultFigures, path = figuresPath()): void {
  const file: FiguresFile = readFigures(path) ?? { run: { date: '', node: '', cpus: 0 }, faults: {} };
  file.run = { date: new Date().toISOString().slice(0, 10), node: process.version, cpus: availableParallelism() };
  file.faults[id] = { ...figures, run: file.run };
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`);
}

/**
 * `older` with each fault of `newer` added or replaced; the run is the newer one's, and each fault kept from `older`
 * keeps its own run, so the report does not date older figures to the newer run.
 */
export function mergeFigures(older: FiguresFile | undefined, newer: FiguresFile): FiguresFile {
  const kept = Object.fromEntries(
    Object.entries(older?.faults ?? {}).map(([id, f]) => [id, { ...f, run: f.run ?? older?.run }]),
  );
  return { run: newer.run, faults: { ...kept, ...newer.faults } };
}

/** The run that measured a fault of `file`. */
export const runOf = (file: FiguresFile, fault: FaultFigures): RunInfo => fault.run ?? file.run;

export const MiB = 1024 * 1024;
/** Bytes in MiB, one decimal. */
export const toMiB = (bytes: number) => Math.round((bytes / MiB) * 10) / 10;
/** Milliseconds in seconds, one decimal. */
export const toSeconds = (ms: number) => Math.round(ms / 100) / 10;
