import { LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogLevelName } from './types.js';

/** The variables otelkit's logger reads, with or without `start()`. */
export const LOGGER_VARIABLES = { level: 'OTELKIT_LOG_LEVEL', format: 'OTELKIT_LOG_FORMAT' } as const;

export interface LoggerSettings {
  level: LogLevelName;
  format: LogFormat;
}

const DEFAULT_LOGGER_SETTINGS: LoggerSettings = { level: 'info', format: 'auto' };

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The logger's level and format from the environment, for `createLogger` used without `start()` (the light
 * `@otelkit/node/logger` entry, which must not load zod or OpenTelemetry). An invalid value falls back to the
 * default and is described in `problems`; `resolveConfig` reads the same variables with the same accepted values
 * and rejects invalid ones at `start()`.
 */
export function readLoggerSettings(env: Env = process.env): { settings: LoggerSettings; problems: string[] } {
  const problems: string[] = [];
  const pick = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const raw = env[name]?.trim().toLowerCase();
    if (raw === undefined || raw === '') return fallback;
    if ((allowed as readonly string[]).includes(raw)) return raw as T;
    problems.push(`${name}=${JSON.stringify(env[name])}: expected one of ${allowed.join(', ')}; using ${fallback}`);
    return fallback;
  };
  return {
    settings: {
      level: pick(LOGGER_VARIABLES.level, LOG_LEVELS, DEFAULT_LOGGER_SETTINGS.level),
      format: pick(LOGGER_VARIABLES.format, LOG_FORMATS, DEFAULT_LOGGER_SETTINGS.format),
    },
    problems,
  };
}
