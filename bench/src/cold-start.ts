import { performance } from 'node:perf_hooks';
import type { ManagedProcess } from '@otelkit/testkit';

/**
 * Milliseconds from spawning the process to its first 200 on `url`, polled every `pollMs`: module loading,
 * instrumentation set-up, the database pool and the listen all count, as they do for a rolling deploy.
 */
export async function timeToFirstResponse(
  process: ManagedProcess,
  url: string,
  options: { pollMs?: number; timeoutMs?: number } = {},
): Promise<number> {
  const started = performance.now();
  await process.start();
  const deadline = started + (options.timeoutMs ?? 60_000);
  for (;;) {
    const response = await fetch(url).catch(() => undefined);
    await response?.arrayBuffer();
    if (response?.ok === true) return performance.now() - started;
    if (!process.running) throw new Error(`${process.options.name} exited during start-up:\n${process.output}`);
    if (performance.now() > deadline) throw new Error(`${process.options.name}: no 200 from ${url} in time`);
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 5));
  }
}
