import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  allowedCpus,
  appWrapper,
  assertRunsOn,
  cpuList,
  describePinning,
  findTaskset,
  parseCpuList,
  planPinning,
} from '../src/cpu-pinning.js';

describe('CPU pinning', () => {
  it("parses the kernel's CPU lists", () => {
    expect(parseCpuList('0-1')).toEqual([0, 1]);
    expect(parseCpuList('0,2-4,7\n')).toEqual([0, 2, 3, 4, 7]);
    expect(() => parseCpuList('a-b')).toThrow(/not a CPU list/);
  });

  it('gives the app the last CPU and everything else the others; otherwise says why not', () => {
    const plan = planPinning([0, 1, 2, 3], 'taskset');
    expect(plan).toEqual({ pinned: true, appCpus: [3], otherCpus: [0, 1, 2] });
    expect(appWrapper(plan)).toEqual(['taskset', '-c', '3']);
    expect(describePinning(plan)).toBe('the demo on CPU 3; k6, the collector, Postgres and the harness on CPU 0,1,2');
    const missing = planPinning([0, 1], undefined);
    expect(missing).toEqual({ pinned: false, reason: 'taskset (util-linux) is not installed' });
    expect(appWrapper(missing)).toEqual([]);
    expect(planPinning([0], 'taskset')).toEqual({ pinned: false, reason: 'only 1 CPU available' });
  });

  const cpus = allowedCpus();
  it.skipIf(findTaskset() === undefined || cpus.length < 2)(
    "starts a process through the app's wrapper on the app's CPU, keeping its pid",
    async () => {
      const plan = planPinning(cpus, findTaskset());
      if (!plan.pinned) throw new Error('expected a plan');
      const [command = '', ...args] = [...appWrapper(plan), process.execPath, '-e', 'setTimeout(() => {}, 5000)'];
      const child = spawn(command, args, { stdio: 'ignore' });
      try {
        await new Promise((resolve) => setTimeout(resolve, 300)); // taskset has exec'd node by then
        expect(cpuList(allowedCpus(child.pid ?? 0))).toBe(cpuList(plan.appCpus));
        expect(() => assertRunsOn(child.pid ?? 0, plan.appCpus, 'the child')).not.toThrow();
        expect(() => assertRunsOn(child.pid ?? 0, plan.otherCpus, 'the child')).toThrow(/the child runs on CPUs/);
      } finally {
        child.kill();
      }
    },
  );
});
