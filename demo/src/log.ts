import type { createLogger } from '@otelkit/node/logger';

/** The demo's logger: otelkit's pino logger (JSON lines with the trace context). */
export type Logger = ReturnType<typeof createLogger>;
