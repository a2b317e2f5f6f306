/** The vendored upstream chart data (kubernetes/upstream-charts): defaults, schemas, subcharts and CRDs. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CHARTS, type ChartId, GATEWAY_API_VERSION } from './cluster.js';
import { K8S_FILES } from './paths.js';
import type { ChartReference, JsonSchema } from './values-keys.js';

/** Folder of a chart's data at its pinned version. */
export function chartDir(id: ChartId): string {
  const { chart, version } = CHARTS[id];
  const dir = join(K8S_FILES.upstreamCharts, `${chart}-${version}`);
  if (!existsSync(dir)) throw new Error(`no upstream data for ${chart} ${version} in ${K8S_FILES.upstreamCharts}`);
  return dir;
}

/** Environment variables that point `chartSource` at a chart folder of one's own, by chart. */
export const CHART_SOURCE_ENV: Partial<Record<ChartId, string>> = { opensearch: 'OTELKIT_OPENSEARCH_CHART' };

/**
 * Folder of a chart's full sources for `helm template`, the first of: the folder its CHART_SOURCE_ENV variable names,
 * the reference copy in K8S_FILES.upstreamChartSources, the vendored folder when it holds the whole chart (its
 * templates). Undefined when none has it (the vendored data of most charts is their values and schemas only).
 */
export function chartSource(id: ChartId, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const variable = CHART_SOURCE_ENV[id];
  const override = variable ? env[variable] : undefined;
  if (override) {
    if (!existsSync(join(override, 'Chart.yaml'))) throw new Error(`${variable}=${override}: no Chart.yaml there`);
    return override;
  }
  const reference = join(K8S_FILES.upstreamChartSources, CHARTS[id].chart);
  if (existsSync(reference)) return reference;
  const vendored = chartDir(id);
  return existsSync(join(vendored, 'templates')) ? vendored : undefined;
}

/**
 * Key paths our values use that the charts document only as commented-out defaults (Helm reads them all the same);
 * the tests check each one appears commented in the upstream values.yaml.
 */
export const DOCUMENTED_IN_COMMENTS: Partial<Record<ChartId, readonly string[]>> = {
  postgresExporter: ['serviceMonitor.interval', 'serviceMonitor.labels', 'serviceMonitor.relabelings'],
  kubePrometheusStack: ['prometheus.networkPolicy.ingress', 'prometheus.networkPolicy.egress'],
};

/**
 * Maps with non-empty defaults that a chart's templates render whole with `toYaml` (read in the chart's templates):
 * jaeger's es-index-cleaner security contexts (templates/es-maintenance/es-index-cleaner-cronjob.yaml; the helm
 * template test of jaeger-opensearch.yaml checks they arrive in the CronJob) and opensearch's `resources`
 * (templates/statefulset.yaml, `toYaml .Values.resources`).
 */
const PASSED_THROUGH: Partial<Record<ChartId, readonly string[]>> = {
  jaeger: ['esIndexCleaner.securityContext', 'esIndexCleaner.podSecurityContext'],
  opensearch: ['resources'],
};

/** Defaults, schema and subchart defaults of a chart. */
export function chartReference(id: ChartId): ChartReference {
  const dir = chartDir(id);
  const schemaPath = join(dir, 'values.schema.json');
  const subchartsDir = join(dir, 'subcharts');
  const subcharts = existsSync(subchartsDir)
    ? Object.fromEntries(
        readdirSync(subchartsDir).map((name) => [
          name,
          parse(readFileSync(join(subchartsDir, name, 'values.yaml'), 'utf8')),
        ]),
      )
    : undefined;
  return {
    defaults: parse(readFileSync(join(dir, 'values.yaml'), 'utf8')),
    ...(existsSync(schemaPath) ? { schema: JSON.parse(readFileSync(schemaPath, 'utf8')) as JsonSchema } : {}),
    ...(subcharts ? { subcharts } : {}),
    ...(DOCUMENTED_IN_COMMENTS[id] ? { documentedInComments: DOCUMENTED_IN_COMMENTS[id] } : {}),
    ...(PASSED_THROUGH[id] ? { passedThrough: PASSED_THROUGH[id] } : {}),
  };
}

/** Every CRD file of the vendored charts, and the Gateway API's (kubernetes/upstream-crds). */
export function crdFiles(): string[] {
  const gatewayApi = join(K8S_FILES.upstreamCrds, `gateway-api-${GATEWAY_API_VERSION}`, 'crds');
  return [
    ...Object.keys(CHARTS).flatMap((id) => {
      const dir = join(chartDir(id as ChartId), 'crds');
      return existsSync(dir) ? readdirSync(dir).map((name) => join(dir, name)) : [];
    }),
    ...readdirSync(gatewayApi).map((name) => join(gatewayApi, name)),
  ];
}

/** Helm's coalescing of user values over chart defaults: maps merge key by key, anything else replaces. */
export function coalesce(defaults: unknown, values: unknown): unknown {
  const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isMap(defaults) || !isMap(values)) return values === undefined ? defaults : values;
  const out: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(values)) out[key] = coalesce(defaults[key], value);
  return out;
}
