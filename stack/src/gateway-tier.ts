import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, ManagedProcess, toolBinary } from '@otelkit/native-runtime';
import { parse, stringify } from 'yaml';
import { COLLECTOR_PORT_VARS } from './config-env.js';
import { CONFIG } from './paths.js';

/** The ports of one collector of the gateway tier (or of an agent in front of it), all on 127.0.0.1. */
export interface CollectorPorts {
  otlpGrpc: number;
  otlpHttp: number;
  metrics: number;
  health: number;
}

export async function freeCollectorPorts(): Promise<CollectorPorts> {
  return {
    otlpGrpc: await freePort(),
    otlpHttp: await freePort(),
    metrics: await freePort(),
    health: await freePort(),
  };
}

/** The CollectorPorts field behind each of the native stack's collector port variables (config-env.ts). */
const TIER_PORT_FIELDS = {
  collectorOtlpGrpc: 'otlpGrpc',
  collectorOtlpHttp: 'otlpHttp',
  collectorMetrics: 'metrics',
  collectorHealth: 'health',
} as const satisfies Record<(typeof COLLECTOR_PORT_VARS)[keyof typeof COLLECTOR_PORT_VARS], keyof CollectorPorts>;

/** The same variables as the native stack's collector (COLLECTOR_PORT_VARS), with this collector's ports. */
const collectorPortEnv = (ports: CollectorPorts): Record<string, string> => ({
  OTELCOL_BIND_HOST: '127.0.0.1',
  ...Object.fromEntries(
    Object.entries(COLLECTOR_PORT_VARS).map(([name, field]) => [name, String(ports[TIER_PORT_FIELDS[field]])]),
  ),
});

export interface TierCollectorOptions {
  /** Process name, and the gateway's OTELCOL_GATEWAY_ID. */
  name: string;
  ports: CollectorPorts;
  /** Its folder: the sending queue on disk (`<dir>/queue`) and its log (`<dir>/<name>.log`). */
  dir: string;
  /** Further environment (OTELCOL_TAIL_* of the gateway...). */
  env?: Record<string, string>;
}

/** A gateway: collector/config.gateway.yaml, sending to Jaeger's OTLP gRPC and Prometheus' remote-write receiver. */
export function gatewayProcess(
  options: TierCollectorOptions & { jaegerOtlpGrpc: string; prometheusRemoteWrite: string },
): ManagedProcess {
  return tierCollector(CONFIG.collectorGateway, options, {
    OTELCOL_GATEWAY_ID: options.name,
    JAEGER_OTLP_ENDPOINT: options.jaegerOtlpGrpc,
    PROMETHEUS_REMOTE_WRITE_URL: options.prometheusRemoteWrite,
  });
}

/**
 * An agent in front of the gateways outside Kubernetes: collector/config.agent.yaml with what needs a cluster taken
 * out (k8s_attributes, and the `k8s` resolver replaced by a `static` list of the gateways' OTLP gRPC addresses),
 * written to `<dir>/config.agent.local.yaml`. Everything else (the load_balancing exporter, its queue on disk, the
 * pipeline) is the shipped agent's.
 */
export function localAgentProcess(options: TierCollectorOptions & { gateways: string[] }): ManagedProcess {
  return tierCollector(writeLocalAgentConfig(options.dir, options.gateways), options, {});
}

/** Writes localAgentConfig() into `<dir>/config.agent.local.yaml`; returns its path. */
export function writeLocalAgentConfig(
  dir: string,
  gateways: string[],
  options: { k8sAttributes?: boolean } = {},
): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'config.agent.local.yaml');
  writeFileSync(path, stringify(localAgentConfig(gateways, options), { lineWidth: 0 }));
  return path;
}

/**
 * collector/config.agent.yaml with its gateways from a static list, and without k8s_attributes unless
 * `k8sAttributes` (a test with an API server keeps it).
 */
export function localAgentConfig(gateways: string[], options: { k8sAttributes?: boolean } = {}): Record<string, any> {
  const config = parse(readFileSync(CONFIG.collectorAgent, 'utf8')) as Record<string, any>;
  if (options.k8sAttributes !== true) {
    delete config.processors.k8s_attributes;
    for (const pipeline of Object.values(config.service.pipelines) as Array<{ processors?: string[] }>)
      pipeline.processors = pipeline.processors?.filter((p) => p !== 'k8s_attributes');
  }
  const exporter = agentGatewayExporter(config);
  exporter.resolver = { static: { hostnames: gateways } };
  return config;
}

/** The agent's load_balancing exporter towards the gateways (the one exporter whose id starts with load_balancing). */
export function agentGatewayExporter(config: Record<string, any>): Record<string, any> {
  const entry = Object.entries(config.exporters ?? {}).find(([id]) => id.split('/')[0] === 'load_balancing');
  if (entry === undefined) throw new Error(`${CONFIG.collectorAgent}: no load_balancing exporter`);
  return entry[1] as Record<string, any>;
}

function tierCollector(config: string, options: TierCollectorOptions, env: Record<string, string>): ManagedProcess {
  return new ManagedProcess({
    name: options.name,
    command: toolBinary('otelcol-otelkit'),
    args: [`--config=${config}`],
    env: {
      ...collectorPortEnv(options.ports),
      OTELCOL_QUEUE_DIR: join(options.dir, 'queue'),
      ...env,
      ...options.env,
    },
    logFile: join(options.dir, `${options.name}.log`),
    readyUrl: `http://127.0.0.1:${options.ports.health}/`,
  });
}
