import { fileURLToPath } from 'node:url';

/** Absolute path of a fixture app. */
export const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

/** SpanKind values as sent over OTLP (proto enum: INTERNAL=1, SERVER=2, CLIENT=3). */
export const OTLP_KIND = { internal: 1, server: 2, client: 3 } as const;
