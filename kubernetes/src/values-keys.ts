/**
 * Helm silently ignores a values key the chart does not read, so a misspelled key (`serviceMonitorSelecter`) is a
 * setting that quietly does nothing. This module finds every key path of a values file that the chart does not
 * declare: in its default values.yaml, its values.schema.json, or (for a subchart's key) the subchart's defaults.
 *
 * Free-form maps and lists (podAnnotations, extraEnvs, alternateConfig, additionalDataSources, selectors...) accept
 * any key, but only where the upstream says so: its default is an empty map, an empty list or null (a map the chart
 * documents only in comments), or its schema declares `additionalProperties`/`patternProperties`. Everything below
 * such a point is not checked. Lists are never descended (their items are free-form by construction).
 */

export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  patternProperties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
};

/** What a chart declares: its defaults, its schema if it has one, and its subcharts' defaults by key. */
export interface ChartReference {
  defaults: unknown;
  schema?: JsonSchema;
  subcharts?: Record<string, unknown>;
  /** Key paths the chart documents only in commented-out defaults (each checked against values.yaml's text). */
  documentedInComments?: readonly string[];
  /**
   * Maps with non-empty defaults that the chart's templates render whole (`toYaml`), so any key of the Kubernetes
   * type is legal inside them (e.g. a securityContext whose default sets only runAsUser): free-form from there on.
   */
  passedThrough?: readonly string[];
}

const isMap = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Merges two default trees (parent's and subchart's keys for the same subchart): a key is declared by either. */
function mergeDefaults(a: unknown, b: unknown): unknown {
  if (!isMap(a)) return b ?? a;
  if (!isMap(b)) return a;
  const out: Record<string, unknown> = { ...a };
  for (const [key, value] of Object.entries(b)) out[key] = key in out ? mergeDefaults(out[key], value) : value;
  return out;
}

function schemaFor(schema: JsonSchema | undefined, key: string): JsonSchema | undefined {
  if (!schema) return undefined;
  if (schema.properties?.[key]) return schema.properties[key];
  for (const [pattern, sub] of Object.entries(schema.patternProperties ?? {})) {
    if (new RegExp(pattern).test(key)) return sub;
  }
  return undefined;
}

/** Whether the upstream declares this map free-form (any key is legal inside it). */
function isFreeForm(defaults: unknown, schema: JsonSchema | undefined, declaredHere: boolean): boolean {
  if (schema?.additionalProperties !== undefined && schema.additionalProperties !== false) return true;
  if (schema?.properties || schema?.patternProperties) return false;
  if (!declaredHere) return false;
  return defaults === null || defaults === undefined || (isMap(defaults) && Object.keys(defaults).length === 0);
}

/** Every key path of `values` the chart does not declare (dot-separated, e.g. `grafana.sidecar.dashbords`). */
export function undeclaredValuePaths(values: unknown, chart: ChartReference): string[] {
  const found: string[] = [];
  const documented = new Set(chart.documentedInComments ?? []);
  const passedThrough = new Set(chart.passedThrough ?? []);
  const walk = (value: unknown, defaults: unknown, schema: JsonSchema | undefined, path: string[]): void => {
    if (!isMap(value)) return;
    for (const [key, child] of Object.entries(value)) {
      const childPath = [...path, key];
      const dotted = childPath.join('.');
      let childDefaults = isMap(defaults) && key in defaults ? defaults[key] : undefined;
      const declaredInDefaults = isMap(defaults) && key in defaults;
      if (path.length === 0 && chart.subcharts && key in chart.subcharts) {
        childDefaults = mergeDefaults(childDefaults, chart.subcharts[key]);
      }
      const childSchema = schemaFor(schema, key);
      const declared =
        declaredInDefaults || childSchema !== undefined || (path.length === 0 && key in (chart.subcharts ?? {}));
      if (!declared) {
        if (isFreeForm(defaults, schema, true) || documented.has(dotted)) continue;
        found.push(dotted);
        continue;
      }
      if (isMap(child) && (isFreeForm(childDefaults, childSchema, declared) || passedThrough.has(dotted))) continue;
      walk(child, childDefaults, childSchema, childPath);
    }
  };
  walk(values, chart.defaults, chart.schema, []);
  return found;
}
