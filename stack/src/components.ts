import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { STACK } from '@otelkit/stack-topology';
import {
  ManagedProcess,
  PostgresInstance,
  PrometheusInstance,
  REPO_ROOT,
  systemBinary,
  toolBinary,
} from '@otelkit/native-runtime';
import { parse, stringify } from 'yaml';
import { ALERT_RECEIVERS, type AlertReceiver, alertmanagerConfig, type RouteTiming } from './alertmanager-config.js';
import { COLLECTOR_PORT_VARS, JAEGER_PORT_VARS, portEnv } from './config-env.js';
import { CONFIG } from './paths.js';
import type { StackPorts } from './ports.js';
import { nativeTargets, targetFiles } from './prometheus-targets.js';

/** Where a native stack keeps its state and logs, and which ports it uses. */
export interface StackContext {
  ports: StackPorts;
  /** Persistent data (Postgres, Prometheus) and logs live here. */
  dir: string;
}

const log = (ctx: StackContext, name: string) => join(ctx.dir, 'logs', `${name}.log`);
const local = (port: number) => `127.0.0.1:${port}`;

/** The demo database: role and database of @otelkit/stack-topology, on a private cluster. */
export async function startPostgres(ctx: StackContext): Promise<{ instance: PostgresInstance; url: string }> {
  const instance = await PostgresInstance.create({ dir: join(ctx.dir, 'postgres'), port: ctx.ports.postgres });
  return { instance, url: instance.ensureDatabase(STACK.postgres.user, STACK.postgres.database) };
}

export function postgresExporter(ctx: StackContext, databaseUrl: string): ManagedProcess {
  return new ManagedProcess({
    name: STACK.postgresExporter.service,
    command: systemBinary('prometheus-postgres-exporter'),
    args: [`--web.listen-address=${local(ctx.ports.postgresExporter)}`],
    env: { DATA_SOURCE_NAME: `${databaseUrl}?sslmode=disable` },
    logFile: log(ctx, STACK.postgresExporter.service),
    readyUrl: `http://${local(ctx.ports.postgresExporter)}/metrics`,
    // Debian's 0.11 exporter does not act on SIGTERM while its database connection is open; do not wait 10 s.
    stopTimeoutMs: 2_000,
  });
}

/**
 * Jaeger v2 with stack/config/jaeger/config.yaml: its Badger store lives in the stack's directory (.stack/jaeger for
 * `npm run stack`), so traces survive a restart of Jaeger or of the whole stack, as in compose's `jaeger-data` volume.
 */
/** Another trace storage for Jaeger than its config file's: a `jaeger_storage` backend by name. */
export interface JaegerStorage {
  name: string;
  /** `jaeger_storage.backends.<name>`, e.g. openSearchStorage() of trace-store.ts. */
  backend: Record<string, unknown>;
}

export function jaeger(ctx: StackContext, storage?: JaegerStorage): ManagedProcess {
  const { ports } = ctx;
  return new ManagedProcess({
    name: STACK.jaeger.service,
    command: toolBinary('jaeger'),
    args: [`--config=${storage === undefined ? CONFIG.jaeger : jaegerConfigWithStorage(ctx, storage)}`],
    env: {
      JAEGER_BIND_HOST: '127.0.0.1',
      JAEGER_BADGER_DIR: join(ctx.dir, 'jaeger'),
      ...portEnv(JAEGER_PORT_VARS, ports),
    },
    logFile: log(ctx, STACK.jaeger.service),
    readyUrl: `http://${local(ports.jaegerQuery)}/api/services`,
  });
}

/**
 * stack/config/jaeger/config.yaml with `storage` as its only backend, for traces and the query service alike,
 * written to the stack's folder: everything else (ports, telemetry, pipeline) stays the config file's.
 */
function jaegerConfigWithStorage(ctx: StackContext, storage: JaegerStorage): string {
  const config = parse(readFileSync(CONFIG.jaeger, 'utf8')) as {
    extensions: { jaeger_storage: { backends: unknown }; jaeger_query: { storage: { traces: string } } };
    exporters: { jaeger_storage_exporter: { trace_storage: string } };
  };
  config.extensions.jaeger_storage.backends = { [storage.name]: storage.backend };
  config.extensions.jaeger_query.storage.traces = storage.name;
  config.exporters.jaeger_storage_exporter.trace_storage = storage.name;
  const file = join(ctx.dir, 'jaeger', `config-${storage.name}.yaml`);
  mkdirSync(dirname(file), { recursive: true });
  // every string quoted: an unquoted 2006-01-02 (a date layout) would be read back as a timestamp
  writeFileSync(file, stringify(config, { defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN' }));
  return file;
}

export function collector(ctx: StackContext): ManagedProcess {
  const { ports } = ctx;
  return new ManagedProcess({
    name: STACK.collector.service,
    command: toolBinary('otelcol-otelkit'),
    args: [`--config=${CONFIG.collector}`],
    env: collectorEnv(ports),
    logFile: log(ctx, STACK.collector.service),
    readyUrl: `http://${local(ports.collectorHealth)}/`,
  });
}

/** The environment that points collector/config.local.yaml at the native stack. */
export function collectorEnv(ports: StackPorts): Record<string, string> {
  return {
    OTELCOL_BIND_HOST: '127.0.0.1',
    ...portEnv(COLLECTOR_PORT_VARS, ports),
    JAEGER_OTLP_ENDPOINT: local(ports.jaegerOtlpGrpc),
    PROMETHEUS_REMOTE_WRITE_URL: `http://${local(ports.prometheus)}/api/v1/write`,
  };
}

/** The generated rules files (dashboards/generated/prometheus), by file name. */
export function generatedRuleFiles(): Record<string, string> {
  if (!existsSync(CONFIG.prometheusRules)) return {};
  return Object.fromEntries(
    readdirSync(CONFIG.prometheusRules)
      .filter((f) => f.endsWith('.yml'))
      .map((f) => [f, readFileSync(join(CONFIG.prometheusRules, f), 'utf8')]),
  );
}

/**
 * Prometheus with stack/config/prometheus/prometheus.yml, loopback targets (Alertmanager's too) and the generated
 * rules, or `ruleFiles` (by file name) instead. Its TSDB lives in the stack's directory like Postgres's data
 * (.stack/prometheus/data for `npm run stack`), so the burn-rate windows (up to 3 days) survive a restart of the stack.
 */
export function startPrometheus(
  ctx: StackContext,
  ruleFiles: Record<string, string> = generatedRuleFiles(),
): Promise<PrometheusInstance> {
  const rules = Object.fromEntries(Object.entries(ruleFiles).map(([name, text]) => [`rules/${name}`, text]));
  return PrometheusInstance.start({
    config: readFileSync(CONFIG.prometheus, 'utf8'),
    files: { ...targetFiles(nativeTargets(ctx.ports)), ...rules },
    port: ctx.ports.prometheus,
    dir: join(ctx.dir, 'prometheus'),
  });
}

/** What the native Alertmanager sends where. */
export interface AlertmanagerOptions {
  /**
   * Webhook URL of each receiver, written to its secret file (mode 0600) in `<stack dir>/alertmanager/secrets/`.
   * A receiver left out keeps the file already there (`npm run stack`: put your own URLs in .stack/alertmanager/
   * secrets/), or has none, and its notifications fail in Alertmanager's log while alerts still show in its API.
   */
  receivers?: Partial<Record<AlertReceiver, string>>;
  /** Route timing (tests shorten it); the shipped defaults otherwise. */
  timing?: RouteTiming;
}

/**
 * Alertmanager with the route tree of alertmanager-config.ts, its receivers' URLs read from the stack's secrets
 * folder, its state (silences, notification log) in `<stack dir>/alertmanager/data`; no cluster gossip.
 */
export function alertmanager(ctx: StackContext, options: AlertmanagerOptions = {}): ManagedProcess {
  const dir = join(ctx.dir, 'alertmanager');
  const secrets = join(dir, 'secrets');
  mkdirSync(secrets, { recursive: true });
  chmodSync(secrets, 0o700);
  for (const [name, url] of Object.entries(options.receivers ?? {})) {
    if (url === undefined) continue;
    if (!/^https?:\/\/\S+$/.test(url)) throw new Error(`alertmanager: the ${name} receiver URL is not an http(s) URL`);
    writeFileSync(join(secrets, ALERT_RECEIVERS[name as AlertReceiver].urlFile), url, { mode: 0o600 });
  }
  const configFile = join(dir, 'alertmanager.yml');
  writeFileSync(configFile, stringify(alertmanagerConfig(secrets, options.timing)));
  const address = local(ctx.ports.alertmanager);
  return new ManagedProcess({
    name: STACK.alertmanager.service,
    command: toolBinary('alertmanager'),
    args: [
      `--config.file=${configFile}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=${address}`,
      `--web.external-url=http://${address}`,
      '--cluster.listen-address=',
    ],
    logFile: log(ctx, STACK.alertmanager.service),
    readyUrl: `http://${address}/-/ready`,
  });
}

/** How the demo process is started; the defaults are the stack's (and the Dockerfile's). */
export interface DemoProcessOptions {
  /** Node options before the script (default `--import @otelkit/node/register`; the benchmark varies them). */
  nodeArgs?: string[];
  /** Wait for /readyz in start() (default true); false when the caller times the start-up itself. */
  waitReady?: boolean;
  /** A command that runs node, before it (the benchmark's `taskset -c 1`); it must exec node, keeping the pid. */
  wrapper?: string[];
}

/** The demo API under `--import @otelkit/node/register`, exporting to the native collector. */
export function demo(
  ctx: StackContext,
  databaseUrl: string,
  extraEnv: Record<string, string> = {},
  options: DemoProcessOptions = {},
): ManagedProcess {
  const { ports } = ctx;
  if (!existsSync(CONFIG.demoMain)) throw new Error('the demo is not built: run `npm run build`');
  return new ManagedProcess({
    name: STACK.demo.service,
    command: options.wrapper?.[0] ?? process.execPath,
    args: [
      ...(options.wrapper === undefined ? [] : [...options.wrapper.slice(1), process.execPath]),
      ...(options.nodeArgs ?? ['--import', '@otelkit/node/register']),
      CONFIG.demoMain,
      'serve',
    ],
    cwd: REPO_ROOT,
    env: { ...demoEnv(ports, databaseUrl), ...extraEnv },
    logFile: log(ctx, STACK.demo.service),
    readyUrl: options.waitReady === false ? undefined : `http://${local(ports.demo)}/readyz`,
  });
}

export function demoEnv(ports: StackPorts, databaseUrl: string): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    HOST: '127.0.0.1',
    PORT: String(ports.demo),
    OTEL_SERVICE_NAME: STACK.demo.service,
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://${local(ports.collectorOtlpGrpc)}`,
    OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
    OTEL_EXPORTER_PROMETHEUS_PORT: String(ports.demoMetrics),
    OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=local',
  };
}

/** Runs one of the demo's maintenance subcommands (migrate, seed) to completion. */
export function runDemoCommand(ports: StackPorts, databaseUrl: string, args: string[]): void {
  execFileSync(process.execPath, [CONFIG.demoMain, ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', ...demoEnv(ports, databaseUrl), OTEL_SDK_DISABLED: 'true' },
    stdio: 'pipe',
  });
}
