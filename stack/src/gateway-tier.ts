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
  /**
   * The address its OTLP gRPC receiver binds (default 127.0.0.1, as every other port): `::1` lets a second gateway
   * take the same port, so that one name resolving to both loopback addresses finds both (GatewayDiscovery).
   */
  otlpGrpcHost?: string;
}

/**
 * How an agent outside Kubernetes finds the gateways: a fixed list of `host:port` (the `static` resolver), or a name
 * that its `dns` resolver looks up every second, as an agent in a cluster would look up a headless Service. The name
 * resolves through `hostsFile`, which the agent sees as its /etc/hosts (a private mount namespace, so the machine's
 * own /etc/hosts is never touched): whoever rewrites that file in place plays the part of the cluster's DNS, adding
 * and removing gateways (writeGatewayHosts()).
 */
export type GatewayDiscovery = string[] | { hostname: string; port: number; hostsFile: string };

/** Writes the hosts file of a GatewayDiscovery in place: `hostname` resolves to `addresses`, and localhost to itself. */
export function writeGatewayHosts(discovery: { hostname: string; hostsFile: string }, addresses: string[]): void {
  const lines = ['127.0.0.1 localhost', '::1 localhost', ...addresses.map((a) => `${a} ${discovery.hostname}`)];
  writeFileSync(discovery.hostsFile, `${lines.join('\n')}\n`); // truncates in place: the bind mount sees the new text
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
export function localAgentProcess(options: TierCollectorOptions & { gateways: GatewayDiscovery }): ManagedProcess {
  const { gateways } = options;
  const config = writeLocalAgentConfig(options.dir, gateways);
  return tierCollector(config, options, {}, Array.isArray(gateways) ? undefined : gateways.hostsFile);
}

/** Writes localAgentConfig() into `<dir>/config.agent.local.yaml`; returns its path. */
export function writeLocalAgentConfig(
  dir: string,
  gateways: GatewayDiscovery,
  options: { k8sAttributes?: boolean } = {},
): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'config.agent.local.yaml');
  writeFileSync(path, stringify(localAgentConfig(gateways, options), { lineWidth: 0 }));
  return path;
}

/**
 * collector/config.agent.yaml with its gateways from a static list or a name (GatewayDiscovery), and without
 * k8s_attributes unless `k8sAttributes` (a test with an API server keeps it).
 */
export function localAgentConfig(
  gateways: GatewayDiscovery,
  options: { k8sAttributes?: boolean } = {},
): Record<string, any> {
  const config = parse(readFileSync(CONFIG.collectorAgent, 'utf8')) as Record<string, any>;
  if (options.k8sAttributes !== true) {
    delete config.processors.k8s_attributes;
    for (const pipeline of Object.values(config.service.pipelines) as Array<{ processors?: string[] }>)
      pipeline.processors = pipeline.processors?.filter((p) => p !== 'k8s_attributes');
  }
  const exporter = agentGatewayExporter(config);
  exporter.resolver = Array.isArray(gateways)
    ? { static: { hostnames: gateways } }
    : { dns: { hostname: gateways.hostname, port: String(gateways.port), interval: '1s', timeout: '1s' } };
  return config;
}

/** The agent's load_balancing exporter towards the gateways (the one exporter whose id starts with load_balancing). */
export function agentGatewayExporter(config: Record<string, any>): Record<string, any> {
  const entry = Object.entries(config.exporters ?? {}).find(([id]) => id.split('/')[0] === 'load_balancing');
  if (entry === undefined) throw new Error(`${CONFIG.collectorAgent}: no load_balancing exporter`);
  return entry[1] as Record<string, any>;
}

/** `host:port`, with an IPv6 host in brackets. */
const hostPort = (host: string, port: number) => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);

/**
 * The collector's command line; with `hostsFile`, run in a private mount namespace (`unshare -m`) where that file is
 * bind-mounted over /etc/hosts. `unshare` and `exec` replace themselves, so the process is the collector itself.
 * `--map-root-user` (a user namespace) lets a user who is not root mount there too, where the kernel allows it.
 */
function collectorCommand(args: string[], hostsFile?: string): { command: string; args: string[] } {
  const collector = toolBinary('otelcol-otelkit');
  if (hostsFile === undefined) return { command: collector, args };
  const script = 'mount --bind "$1" /etc/hosts && shift && exec "$@"';
  return {
    command: 'unshare',
    args: [
      '--map-root-user',
      '--mount',
      '--propagation',
      'private',
      'sh',
      '-c',
      script,
      'sh',
      hostsFile,
      collector,
      ...args,
    ],
  };
}

function tierCollector(
  config: string,
  options: TierCollectorOptions,
  env: Record<string, string>,
  hostsFile?: string,
): ManagedProcess {
  const args = [`--config=${config}`];
  if (options.otlpGrpcHost !== undefined) {
    // quoted: --set parses its value as YAML, where [::1]:4317 would be a list
    const endpoint = hostPort(options.otlpGrpcHost, options.ports.otlpGrpc);
    args.push(`--set=receivers.otlp.protocols.grpc.endpoint="${endpoint}"`);
  }
  return new ManagedProcess({
    name: options.name,
    ...collectorCommand(args, hostsFile),
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
