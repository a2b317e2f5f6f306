import { loadAverage } from './proc-stats.js';

export interface QuietWait {
  /** The 1-minute load average asked for (below it). */
  below: number;
  /** How long the wait took. */
  waitedSeconds: number;
  /** False when `timeoutSeconds` passed first: the step then ran on a busy machine, and says so. */
  reached: boolean;
  /** The load averages (1 / 5 / 15 min) when the wait ended. */
  loadAverage: [number, number, number];
}

/**
 * Waits until the machine's 1-minute load average is below `below` (polled every `pollSeconds`), at most
 * `timeoutSeconds`. The machine is shared with other work: a measured step starts on a quiet machine, or records that
 * it could not.
 */
export async function waitForQuietMachine(options: {
  below: number;
  timeoutSeconds: number;
  pollSeconds?: number;
  log?: (line: string) => void;
  /** The load average, the clock and the sleep (for tests; default /proc/loadavg, Date.now, setTimeout). */
  read?: () => [number, number, number];
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}): Promise<QuietWait> {
  const read = options.read ?? loadAverage;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const poll = (options.pollSeconds ?? 10) * 1000;
  const started = now();
  for (let n = 0; ; n++) {
    const load = read();
    const waited = Math.round((now() - started) / 1000);
    if (load[0] < options.below)
      return { below: options.below, waitedSeconds: waited, reached: true, loadAverage: load };
    if (waited >= options.timeoutSeconds)
      return { below: options.below, waitedSeconds: waited, reached: false, loadAverage: load };
    if (n % 6 === 0)
      options.log?.(`  waiting for a quiet machine: load average ${load.join(' ')} (below ${options.below})`);
    await sleep(poll);
  }
}
