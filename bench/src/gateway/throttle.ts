/**
 * A collector starved of CPU, on purpose and on its own: the process runs `percent` of every `periodMs` and is
 * stopped (SIGSTOP) for the rest, then continued (SIGCONT). This is how a CPU limit throttles a container (the CFS
 * quota: a cgroup that used its quota sleeps until the next 100 ms period), and what a machine busy with other work
 * does to a niced process, without loading the machine: `npm run bench:gateway -- --throttle-gateway 10` reproduces
 * an overloaded gateway on a quiet machine. Returns a function that stops throttling and leaves the process running.
 */
export function throttle(
  pid: number,
  percent: number,
  periodMs = 100,
  signal: (pid: number, signal: NodeJS.Signals) => void = (p, s) => process.kill(p, s),
): () => void {
  if (!(percent > 0 && percent < 100)) throw new Error(`throttle: a share between 0 and 100 %, got ${percent}`);
  const runMs = (periodMs * percent) / 100;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const send = (s: NodeJS.Signals) => {
    try {
      signal(pid, s);
    } catch {
      stopped = true; // the process is gone: nothing left to throttle
    }
  };
  const run = () => {
    if (stopped) return;
    send('SIGCONT');
    timer = setTimeout(pause, runMs);
  };
  const pause = () => {
    if (stopped) return;
    send('SIGSTOP');
    timer = setTimeout(run, periodMs - runMs);
  };
  run();
  return () => {
    stopped = true;
    clearTimeout(timer);
    send('SIGCONT');
  };
}
