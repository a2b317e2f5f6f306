import { z } from 'zod';
import type { ConfigProblem } from './config-error.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads one setting at a time from a typed option (which wins) or an environment variable, validates it with zod
 * and records a `ConfigProblem` naming the source and the accepted values instead of throwing, so that every
 * problem is reported at once.
 */
export class SettingsReader {
  readonly problems: ConfigProblem[] = [];

  constructor(private readonly env: Env) {}

  /** The raw, trimmed environment value, or undefined when unset or empty. */
  raw(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  /** First of the named variables that is set, with its name. */
  firstRaw(names: readonly string[]): { name: string; value: string } | undefined {
    for (const name of names) {
      const value = this.raw(name);
      if (value !== undefined) return { name, value };
    }
    return undefined;
  }

  oneOf<T extends string>(
    option: { path: string; value: T | undefined },
    envNames: string | readonly string[],
    allowed: readonly T[],
    fallback: T,
  ): T {
    const expected = `one of ${allowed.join(', ')}`;
    const schema = z.enum(allowed as unknown as [T, ...T[]]);
    return this.read(option, envNames, fallback, expected, (s) => schema.safeParse(s.toLowerCase()), schema);
  }

  bool(option: { path: string; value: boolean | undefined }, envName: string, fallback: boolean): boolean {
    const schema = z.enum(['true', 'false']).transform((v) => v === 'true');
    return this.read(option, envName, fallback, 'true or false', (s) => schema.safeParse(s.toLowerCase()), z.boolean());
  }

  /** `true`, `false` or `auto`: a boolean option or `'auto'`, the same values spelled as text in the variable. */
  boolOrAuto(
    option: { path: string; value: boolean | 'auto' | undefined },
    envName: string,
    fallback: boolean | 'auto',
  ): boolean | 'auto' {
    const schema = z.enum(['true', 'false', 'auto']).transform((v) => (v === 'auto' ? 'auto' : v === 'true'));
    return this.read(
      option,
      envName,
      fallback,
      'one of auto, true, false',
      (s) => schema.safeParse(s.toLowerCase()),
      z.union([z.boolean(), z.literal('auto')]),
    );
  }

  /** An option that is a record of strings (headers), validated; {} when not given. */
  stringRecord(option: { path: string; value: Record<string, string> | undefined }): Record<string, string> {
    if (option.value === undefined) return {};
    const parsed = z.record(z.string().min(1), z.string()).safeParse(option.value);
    if (parsed.success) return parsed.data;
    this.problems.push({ source: `options.${option.path}`, value: option.value, expected: 'an object of strings' });
    return {};
  }

  int(
    option: { path: string; value: number | undefined },
    envName: string | readonly string[],
    fallback: number,
    bounds: { min: number; max: number },
  ): number {
    const schema = z.number().int().min(bounds.min).max(bounds.max);
    const expected = `an integer from ${bounds.min} to ${bounds.max}`;
    return this.read(option, envName, fallback, expected, (s) => schema.safeParse(strictNumber(s)), schema);
  }

  ratio(option: { path: string; value: number | undefined }, envName: string, fallback: number): number {
    const schema = z.number().min(0).max(1);
    return this.read(
      option,
      envName,
      fallback,
      'a number from 0 to 1',
      (s) => schema.safeParse(strictNumber(s)),
      schema,
    );
  }

  url(
    option: { path: string; value: string | undefined },
    envNames: readonly string[],
    fallback: string,
    protocols: readonly string[],
  ): string {
    const expected = `a URL with scheme ${protocols.map((p) => p.replace(/:$/, '')).join(' or ')}, e.g. http://collector:4317`;
    const schema = z.string().refine((s) => {
      try {
        return protocols.includes(new URL(s).protocol);
      } catch {
        return false;
      }
    });
    return this.read(option, envNames, fallback, expected, (s) => schema.safeParse(s), schema);
  }

  /** A comma-separated list of non-empty items. */
  list(
    option: { path: string; value: readonly string[] | undefined },
    envName: string,
    fallback: readonly string[],
  ): readonly string[] {
    const schema = z.array(z.string().min(1));
    return this.read(
      option,
      envName,
      fallback,
      'a comma-separated list',
      (s) =>
        schema.safeParse(
          s
            .split(',')
            .map((item) => item.trim())
            .filter(Boolean),
        ),
      schema,
    );
  }

  /** W3C-baggage-like `key=value,key2=value2` pairs with percent-encoded values (OTEL_RESOURCE_ATTRIBUTES, headers). */
  keyValues(envName: string): Record<string, string> {
    const value = this.raw(envName);
    if (value === undefined) return {};
    const result: Record<string, string> = {};
    for (const pair of value.split(',')) {
      if (pair.trim() === '') continue;
      const eq = pair.indexOf('=');
      const key = eq > 0 ? pair.slice(0, eq).trim() : '';
      if (key === '') {
        this.problems.push({ source: envName, value, expected: 'comma-separated key=value pairs' });
        return {};
      }
      try {
        result[key] = decodeURIComponent(pair.slice(eq + 1).trim());
      } catch {
        this.problems.push({ source: envName, value, expected: 'percent-encoded values (RFC 3986)' });
        return {};
      }
    }
    return result;
  }

  report(source: string, value: unknown, expected: string): void {
    this.problems.push({ source, value, expected });
  }

  private read<T>(
    option: { path: string; value: T | undefined },
    envNames: string | readonly string[],
    fallback: T,
    expected: string,
    parseEnv: (s: string) => z.ZodSafeParseResult<T>,
    optionSchema: z.ZodType<T>,
  ): T {
    if (option.value !== undefined) {
      const parsed = optionSchema.safeParse(option.value);
      if (parsed.success) return parsed.data;
      this.problems.push({ source: `options.${option.path}`, value: option.value, expected });
      return fallback;
    }
    const found = this.firstRaw(typeof envNames === 'string' ? [envNames] : envNames);
    if (found === undefined) return fallback;
    const parsed = parseEnv(found.value);
    if (parsed.success) return parsed.data;
    this.problems.push({ source: found.name, value: found.value, expected });
    return fallback;
  }
}

/** Number() accepts '' and ' 1 ' and '0x10'; configuration should not. */
function strictNumber(s: string): number {
  return /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(s) ? Number(s) : Number.NaN;
}
