import { performance } from 'node:perf_hooks';
import type { ManagedProcess } from '@otelkit/native-runtime';
import { cpuTimeMs } from './proc-stats.js';

export interface StartUp {
  /** Wall time from spawn to the first 200. */
  ms: number;
  /** CPU time the process had used by then. */
  cpuMs: number;
}

/**
 * Milliseconds (wall and CPU) from spawning the process to its first 200 on `url`, polled every `pollMs`: module loading,
 * instrumentation set-up, the database pool and the listen all count, as they do for a rolling deploy.
 */
export async function timeToFirstResponse(
  process: ManagedProcess,
  url: string,
  options: { pollMs?: number; timeoutMs?: number } = {},
): Promise<StartUp> {
  const started = performance.now();
  await process.start();
  const deadline = started + (options.timeoutMs ?? 60_000);
  for (;;) {
    const response = await fetch(url).catch(() => undefined);
    await response?.arrayBuffer();
    if (response?.ok === true) {
      const ms = performance.now() - started;
      return { ms, cpuMs: process.pid === undefined ? 0 : cpuTimeMs(process.pid) };
    }
    if (!process.running) throw new Error(`${process.options.name} exited during start-up:\n${process.output}`);
    if (performance.now() > deadline) throw new Error(`${process.options.name}: no 200 from ${url} in time`);
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 5));
  }
}
