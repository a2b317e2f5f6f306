import { describe, expect, it } from 'vitest';
import { cpuTimeMs, loadAverage, parseCpuMs, parseRssBytes, rssBytes } from '../src/proc-stats.js';

describe('/proc readers', () => {
  it('reads utime + stime, counting fields after the command name even when it holds spaces and parentheses', () => {
    const stat = '1234 (node (main) x) S 1 2 3 4 5 6 7 8 9 10 250 50 0 0 20 0 11 0 100 200 300';
    expect(parseCpuMs(stat, 100)).toBe(3000);
  });

  it('reads VmRSS in bytes', () => {
    expect(parseRssBytes('Name:\tnode\nVmRSS:\t  123456 kB\nThreads: 7\n')).toBe(123456 * 1024);
    expect(() => parseRssBytes('Name:\tnode\n')).toThrow(/VmRSS/);
  });

  it('reads this very process', () => {
    let x = 0;
    for (let i = 0; i < 2e6; i++) x += Math.sqrt(i);
    expect(x).toBeGreaterThan(0);
    expect(cpuTimeMs(process.pid)).toBeGreaterThan(0);
    expect(rssBytes(process.pid)).toBeGreaterThan(10 * 1024 * 1024);
    expect(loadAverage()).toHaveLength(3);
  });
});
