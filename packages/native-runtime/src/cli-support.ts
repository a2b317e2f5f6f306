/**
 * What the repository's command-line programs share: `--help` and clear errors for unknown flags (node:util's
 * parseArgs, strict), timestamped progress lines, and stopping on signals.
 */
import { type ParseArgsOptionsConfig, parseArgs } from 'node:util';

const stamp = () => new Date().toISOString().slice(11, 19);

/** A progress line on stdout, prefixed with the time. */
export const log = (message: string): void => {
  process.stdout.write(`[${stamp()}] ${message}\n`);
};

/** What a command accepts: its usage text (printed by --help) and its options (without `help`, added here). */
export interface CommandLineSpec<T extends ParseArgsOptionsConfig> {
  /** `Usage: npm run stack [-- options]` and a line per option; printed as written. */
  usage: string;
  options: T;
  /** Positional arguments allowed (default none). */
  allowPositionals?: boolean;
}

/**
 * Parses the command line strictly. `--help` (or `-h`) prints the usage and exits 0; an unknown flag, a missing value
 * or an unexpected argument prints `error: ...` and the usage on stderr and exits 2. Never a stack trace.
 */
export function parseCommandLine<T extends ParseArgsOptionsConfig>(
  spec: CommandLineSpec<T>,
  args: string[] = process.argv.slice(2),
): {
  values: ReturnType<typeof parseArgs<{ options: T; allowPositionals: boolean }>>['values'];
  positionals: string[];
} {
  const usage = spec.usage.trimEnd();
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  try {
    const { values, positionals } = parseArgs({
      args,
      options: spec.options,
      allowPositionals: spec.allowPositionals ?? false,
      strict: true,
    });
    return { values, positionals };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`error: ${message}\n\n${usage}\n`);
    process.exit(2);
  }
}

/**
 * Stops on the first SIGINT or SIGTERM, and when the parent process goes away (npm or a terminal killed outright:
 * the program is re-parented), then exits 0. Later signals are ignored while it stops. Install it before starting
 * anything: `stop` must cope with a start-up still under way.
 */
export function stopOnSignals(stop: () => Promise<unknown>): void {
  let stopping = false;
  const stopOnce = (reason: string) => {
    if (stopping) return;
    stopping = true;
    log(`${reason}: stopping`);
    void stop().then(
      () => {
        log('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        process.stderr.write(`stopping failed: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(1);
      },
    );
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => stopOnce(signal));
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) stopOnce(`the parent process (pid ${parent}) is gone`);
  }, 1_000).unref();
}
