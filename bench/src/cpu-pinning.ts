import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { CpuPinning } from './results-schema.js';

/** Parses a kernel CPU list (`0-2,5`, as in /proc/<pid>/status `Cpus_allowed_list`) into CPU numbers. */
export function parseCpuList(list: string): number[] {
  const cpus: number[] = [];
  for (const part of list.trim().split(',')) {
    const match = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (match === null) throw new Error(`not a CPU list: ${JSON.stringify(list)}`);
    const first = Number(match[1]);
    const last = Number(match[2] ?? match[1]);
    for (let cpu = first; cpu <= last; cpu++) cpus.push(cpu);
  }
  return cpus;
}

/** Formats CPU numbers as taskset's `-c` list (`0,1,2`). */
export const cpuList = (cpus: readonly number[]) => cpus.join(',');

/** The CPUs process `pid` may run on (`self` for this one). */
export function allowedCpus(pid: number | 'self' = 'self'): number[] {
  const match = /^Cpus_allowed_list:\s*(\S+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (match?.[1] === undefined) throw new Error(`no Cpus_allowed_list in /proc/${pid}/status`);
  return parseCpuList(match[1]);
}

/** Where `taskset` is (util-linux), or undefined. */
export function findTaskset(): string | undefined {
  try {
    execFileSync('taskset', ['--version'], { stdio: 'ignore' });
    return 'taskset';
  } catch {
    return undefined;
  }
}

/**
 * Which CPUs the app under test gets and which everything else (load generator, collector, Postgres, this harness):
 * the last allowed CPU for the app, the others for the rest, so the server and its load never compete for a core.
 * A single CPU or no taskset: not pinned, with the reason.
 */
export function planPinning(allowed: readonly number[], taskset: string | undefined): CpuPinning {
  if (taskset === undefined) return { pinned: false, reason: 'taskset (util-linux) is not installed' };
  if (allowed.length < 2) return { pinned: false, reason: `only ${allowed.length} CPU available` };
  const app = allowed.at(-1) as number;
  return { pinned: true, appCpus: [app], otherCpus: allowed.filter((cpu) => cpu !== app) };
}

/**
 * Applies a plan to this process, all its threads (`taskset -a`): every child it spawns from now on (Postgres, the
 * collector, k6) inherits the other CPUs; the app is started through `appWrapper` instead.
 */
export function pinThisProcess(plan: CpuPinning): void {
  if (!plan.pinned) return;
  execFileSync('taskset', ['-a', '-p', '-c', cpuList(plan.otherCpus), String(process.pid)], { stdio: 'ignore' });
  const now = cpuList(allowedCpus());
  if (now !== cpuList(plan.otherCpus)) throw new Error(`taskset left this process on CPUs ${now}`);
}

/** The command prefix that starts the app on its CPUs (`taskset -c 1`), empty when not pinned. */
export function appWrapper(plan: CpuPinning): string[] {
  return plan.pinned ? ['taskset', '-c', cpuList(plan.appCpus)] : [];
}

/** Throws unless process `pid` runs on exactly `expected` (checks that a pinned process really is). */
export function assertRunsOn(pid: number, expected: readonly number[], what: string): void {
  const actual = cpuList(allowedCpus(pid));
  if (actual !== cpuList(expected)) throw new Error(`${what} runs on CPUs ${actual}, expected ${cpuList(expected)}`);
}

/** `1` / `0,2`: for log lines and the report. */
export function describePinning(plan: CpuPinning): string {
  return plan.pinned
    ? `the demo on CPU ${cpuList(plan.appCpus)}; k6, the collector, Postgres and the harness on CPU ${cpuList(plan.otherCpus)}`
    : `not pinned: ${plan.reason}`;
}
