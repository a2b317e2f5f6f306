import type { StackPorts } from './ports.js';

/**
 * The port variables of collector/config.local.yaml and stack/config/jaeger/config.yaml (`${env:VAR:-default}`),
 * and the StackPorts field each one sets. The native stack builds the components' environment from these tables;
 * tests check that every variable exists in its config with the reference port as default.
 */
export const COLLECTOR_PORT_VARS = {
  OTELCOL_OTLP_GRPC_PORT: 'collectorOtlpGrpc',
  OTELCOL_OTLP_HTTP_PORT: 'collectorOtlpHttp',
  OTELCOL_METRICS_PORT: 'collectorMetrics',
  OTELCOL_HEALTH_PORT: 'collectorHealth',
} as const satisfies Record<string, keyof StackPorts>;

export const JAEGER_PORT_VARS = {
  JAEGER_QUERY_PORT: 'jaegerQuery',
  JAEGER_QUERY_GRPC_PORT: 'jaegerQueryGrpc',
  JAEGER_OTLP_GRPC_PORT: 'jaegerOtlpGrpc',
  JAEGER_OTLP_HTTP_PORT: 'jaegerOtlpHttp',
  JAEGER_METRICS_PORT: 'jaegerMetrics',
  JAEGER_HEALTH_PORT: 'jaegerHealth',
} as const satisfies Record<string, keyof StackPorts>;

/** `{ VAR: String(ports[field]) }` for a table above. */
export function portEnv(table: Record<string, keyof StackPorts>, ports: StackPorts): Record<string, string> {
  return Object.fromEntries(Object.entries(table).map(([name, field]) => [name, String(ports[field])]));
}

/** The `${env:NAME:-default}` references of a collector-style config, by variable name. */
export function envDefaults(configText: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const match of configText.matchAll(/\$\{env:([A-Z0-9_]+)(?::-([^}]*))?\}/g)) {
    if (match[1] !== undefined) found[match[1]] = match[2] ?? '';
  }
  return found;
}
