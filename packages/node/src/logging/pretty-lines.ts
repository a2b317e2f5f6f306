import { createRequire } from 'node:module';
import type { DestinationStream } from 'pino';
import type { PrettyOptions } from 'pino-pretty';

type Prettify = (line: string) => string;

/**
 * A destination that turns each JSON line into a readable one (pino-pretty's formatter: time, coloured level,
 * `(pid on host)`, message, then the other fields on the same line, trace ids included) and writes it to `out`, synchronously, so
 * flushing `out` flushes everything. pino-pretty is required here, on first use: a process whose stdout is not a
 * terminal never loads it.
 */
export function prettyLines(out: DestinationStream): DestinationStream {
  const { prettyFactory } = createRequire(import.meta.url)('pino-pretty') as {
    prettyFactory: (options: PrettyOptions) => Prettify;
  };
  const prettify = prettyFactory({ translateTime: 'SYS:HH:MM:ss.l', singleLine: true });
  return { write: (line: string) => out.write(prettify(line)) };
}
