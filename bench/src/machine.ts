import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, hostname, release, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT, toolBinary } from '@otelkit/native-runtime';
import { loadAverage } from './proc-stats.js';
import type { BenchResults } from './results-schema.js';

const run = (command: string, args: string[]) =>
  execFileSync(command, args, { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

/** `nproc`: the CPUs this process may use (what the load competes for); read it before the harness pins itself. */
export function nproc(): number {
  return Number(run('nproc', []));
}

export function machineInfo(loadAverageStart: [number, number, number], nprocAtStart: number): BenchResults['machine'] {
  return {
    hostname: hostname(),
    nproc: nprocAtStart,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memTotalBytes: totalmem(),
    kernel: release(),
    loadAverageStart,
    loadAverageEnd: loadAverage(),
  };
}

const packageVersion = (dir: string) =>
  (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;

export function versions(): BenchResults['versions'] {
  return {
    node: process.version,
    k6: run(toolBinary('k6'), ['version']).split('\n')[0] ?? '',
    collector: run(toolBinary('otelcol-otelkit'), ['--version']),
    otelkitNode: packageVersion(join(REPO_ROOT, 'packages', 'node')),
    // dist/index.mjs -> the package folder (its exports do not include package.json)
    autoInstrumentationsNode: packageVersion(
      dirname(dirname(fileURLToPath(import.meta.resolve('@opentelemetry/auto-instrumentations-node')))),
    ),
    gitSha: run('git', ['rev-parse', 'HEAD']),
    gitDirty: run('git', ['status', '--porcelain', '--untracked-files=no']) !== '',
  };
}
