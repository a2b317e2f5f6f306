/**
 * `@otelkit/node/logger`: otelkit's logger without the rest of otelkit. It loads pino and nothing of OpenTelemetry
 * until OpenTelemetry is started, so an application that imports its logger from here and runs without
 * `--import @otelkit/node/register` (local development, tests, an uninstrumented baseline) pays for pino only.
 */
export { createLogger, type OtelkitLoggerOptions, traceFields } from './logging/create-logger.js';
export type { LogFormat } from './config/types.js';
