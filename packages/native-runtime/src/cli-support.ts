/** What the long-running CLIs (`npm run stack`, `npm run k8s:control-plane`) share: timestamped lines, Ctrl-C. */

const stamp = () => new Date().toISOString().slice(11, 19);

/** A progress line on stdout, prefixed with the time. */
export const log = (message: string): void => {
  process.stdout.write(`[${stamp()}] ${message}\n`);
};

/** On the first SIGINT or SIGTERM: runs `stop`, then exits 0 (later signals are ignored while it stops). */
export function stopOnSignals(stop: () => Promise<unknown>): void {
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      log(`${signal}: stopping`);
      void stop().then(() => {
        log('stopped');
        process.exit(0);
      });
    });
  }
}
