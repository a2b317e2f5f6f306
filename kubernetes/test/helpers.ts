import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { helmValuesPath, type ValuesChartId } from '../src/index.js';

/** A shipped values file, parsed. */
export function readValues(id: ValuesChartId): unknown {
  return parse(readFileSync(helmValuesPath(id), 'utf8'));
}

/** Helm's coalescing of user values over chart defaults: maps merge key by key, anything else replaces. */
export function coalesce(defaults: unknown, values: unknown): unknown {
  const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isMap(defaults) || !isMap(values)) return values === undefined ? defaults : values;
  const out: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(values)) out[key] = coalesce(defaults[key], value);
  return out;
}
