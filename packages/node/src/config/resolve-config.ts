import {
  DEFAULT_IGNORED_PATHS,
  DEFAULT_INSTRUMENTATIONS,
  DEFAULT_METRICS_HOST,
  DEFAULT_METRICS_PORT,
  DEFAULT_OTLP_GRPC_ENDPOINT,
  INSTRUMENTATION_NAMES,
  type InstrumentationName,
  RESOURCE_ATTRIBUTES,
} from '../names.js';
import { k8sAttributesFromEnv } from '../resource/k8s-detector.js';
import { ConfigError } from './config-error.js';
import { LOGGER_VARIABLES } from './logger-settings.js';
import { packageIdentity } from './package-identity.js';
import { SettingsReader } from './settings-reader.js';
import { unsupportedVariableWarnings } from './unsupported-variables.js';
import type { StartOptions } from './start-options.js';
import {
  COMPRESSIONS,
  DIAG_LEVELS,
  HTTP_SERVER_INSTRUMENTATIONS,
  LOG_FORMATS,
  LOG_LEVELS,
  METRICS_SERIALIZERS,
  type OtelkitConfig,
  SAMPLERS,
  TRACES_EXPORTERS,
} from './types.js';

const MAX_MILLIS = 24 * 3600 * 1000;

/**
 * Merges typed options over the standard OTEL_* (and OTELKIT_*) environment variables over the defaults, and
 * validates everything. Throws one ConfigError listing every invalid setting. This module (with logger-settings.ts
 * for the logger used without `start()`) is the only reader of the environment: every other module receives the
 * typed result.
 *
 * `entry` is the application's entry script: without OTEL_SERVICE_NAME or an option, `service.name` and
 * `service.version` are the `name` and `version` of the package.json nearest to it, the same under `npm start` and
 * `node` (npm's npm_package_* variables are not read: they exist only under npm, and name whichever package ran the
 * script).
 */
export function resolveConfig(
  options: StartOptions = {},
  env = options.env ?? process.env,
  entry: string | undefined = process.argv[1],
): OtelkitConfig {
  const r = new SettingsReader(env);
  const t = options.traces ?? {};
  const m = options.metrics ?? {};

  const resourceAttributes = { ...r.keyValues('OTEL_RESOURCE_ATTRIBUTES'), ...options.resourceAttributes };
  const protocol = r.firstRaw(['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', 'OTEL_EXPORTER_OTLP_PROTOCOL']);
  if (protocol !== undefined && protocol.value !== 'grpc') {
    r.report(protocol.name, protocol.value, 'grpc (otelkit exports traces over OTLP gRPC only)');
  }

  const expressLayerSpans = r.bool(
    { path: 'expressLayerSpans', value: options.expressLayerSpans },
    'OTELKIT_EXPRESS_LAYER_SPANS',
    false,
  );
  const serviceName =
    options.serviceName ?? r.raw('OTEL_SERVICE_NAME') ?? resourceAttributes[RESOURCE_ATTRIBUTES.serviceName];
  const serviceVersion = options.serviceVersion ?? resourceAttributes[RESOURCE_ATTRIBUTES.serviceVersion];
  const identity = serviceName === undefined || serviceVersion === undefined ? packageIdentity(entry) : {};
  const config: OtelkitConfig = {
    disabled: r.bool({ path: 'disabled', value: options.disabled }, 'OTEL_SDK_DISABLED', false),
    serviceName: serviceName ?? identity.name ?? 'unknown_service:node',
    serviceVersion: serviceVersion ?? identity.version,
    resourceAttributes,
    diagLogLevel: r.oneOf({ path: 'diagLogLevel', value: options.diagLogLevel }, 'OTEL_LOG_LEVEL', DIAG_LEVELS, 'warn'),
    traces: {
      exporter: r.oneOf(
        { path: 'traces.exporter', value: t.exporter },
        'OTEL_TRACES_EXPORTER',
        TRACES_EXPORTERS,
        'otlp',
      ),
      endpoint: r.url(
        { path: 'traces.endpoint', value: t.endpoint },
        ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'OTEL_EXPORTER_OTLP_ENDPOINT'],
        DEFAULT_OTLP_GRPC_ENDPOINT,
        ['http:', 'https:'],
      ),
      headers: {
        ...r.keyValues('OTEL_EXPORTER_OTLP_HEADERS'),
        ...r.keyValues('OTEL_EXPORTER_OTLP_TRACES_HEADERS'),
        ...r.stringRecord({ path: 'traces.headers', value: t.headers }),
      },
      compression: r.oneOf(
        { path: 'traces.compression', value: t.compression },
        ['OTEL_EXPORTER_OTLP_TRACES_COMPRESSION', 'OTEL_EXPORTER_OTLP_COMPRESSION'],
        COMPRESSIONS,
        // The OTLP default. Spans usually go to a collector agent on the same node, where gzip costs CPU on the
        // application's core for no bandwidth that matters: bench:compare at 100% sampling measured 10% less CPU per
        // request without it (docs/benchmarks.md). Set gzip when the collector is across a network.
        'none',
      ),
      timeoutMillis: r.int(
        { path: 'traces.timeoutMillis', value: t.timeoutMillis },
        ['OTEL_EXPORTER_OTLP_TRACES_TIMEOUT', 'OTEL_EXPORTER_OTLP_TIMEOUT'],
        10_000,
        { min: 1, max: MAX_MILLIS },
      ),
      keepaliveMillis: r.int(
        { path: 'traces.keepaliveMillis', value: t.keepaliveMillis },
        'OTELKIT_GRPC_KEEPALIVE_MS',
        30_000,
        { min: 1_000, max: MAX_MILLIS },
      ),
      sampler: r.oneOf(
        { path: 'traces.sampler', value: t.sampler },
        'OTEL_TRACES_SAMPLER',
        SAMPLERS,
        'parentbased_always_on',
      ),
      samplerRatio: r.ratio({ path: 'traces.samplerRatio', value: t.samplerRatio }, 'OTEL_TRACES_SAMPLER_ARG', 1),
      maxQueueSize: r.int({ path: 'traces.maxQueueSize', value: t.maxQueueSize }, 'OTEL_BSP_MAX_QUEUE_SIZE', 2048, {
        min: 1,
        max: 1_000_000,
      }),
      maxExportBatchSize: r.int(
        { path: 'traces.maxExportBatchSize', value: t.maxExportBatchSize },
        'OTEL_BSP_MAX_EXPORT_BATCH_SIZE',
        512,
        { min: 1, max: 1_000_000 },
      ),
      scheduledDelayMillis: r.int(
        { path: 'traces.scheduledDelayMillis', value: t.scheduledDelayMillis },
        'OTEL_BSP_SCHEDULE_DELAY',
        1_000,
        { min: 0, max: MAX_MILLIS },
      ),
      exportTimeoutMillis: r.int(
        { path: 'traces.exportTimeoutMillis', value: t.exportTimeoutMillis },
        'OTEL_BSP_EXPORT_TIMEOUT',
        30_000,
        { min: 1, max: MAX_MILLIS },
      ),
    },
    metrics: {
      server: r.bool({ path: 'metrics.server', value: m.server }, 'OTELKIT_METRICS_SERVER', true),
      host: m.host ?? r.raw('OTEL_EXPORTER_PROMETHEUS_HOST') ?? DEFAULT_METRICS_HOST,
      port: r.int({ path: 'metrics.port', value: m.port }, 'OTEL_EXPORTER_PROMETHEUS_PORT', DEFAULT_METRICS_PORT, {
        min: 0,
        max: 65_535,
      }),
      runtime: r.bool({ path: 'metrics.runtime', value: m.runtime }, 'OTELKIT_RUNTIME_METRICS', true),
      serializer: r.oneOf(
        { path: 'metrics.serializer', value: m.serializer },
        'OTELKIT_METRICS_SERIALIZER',
        METRICS_SERIALIZERS,
        'otelkit',
      ),
    },
    instrumentations: resolveInstrumentations(r, options.instrumentations, expressLayerSpans),
    ignorePaths: r.list({ path: 'ignorePaths', value: options.ignorePaths }, 'OTELKIT_IGNORE_PATHS', [
      ...DEFAULT_IGNORED_PATHS,
    ]),
    expressLayerSpans,
    httpServer: r.oneOf(
      { path: 'httpServer', value: options.httpServer },
      'OTELKIT_HTTP_SERVER',
      HTTP_SERVER_INSTRUMENTATIONS,
      'otelkit',
    ),
    esmHook: r.boolOrAuto({ path: 'esmHook', value: options.esmHook }, 'OTELKIT_ESM_HOOK', 'auto'),
    requestLog: r.bool({ path: 'requestLog', value: options.requestLog }, 'OTELKIT_REQUEST_LOG', false),
    logLevel: r.oneOf({ path: 'logLevel', value: options.logLevel }, LOGGER_VARIABLES.level, LOG_LEVELS, 'info'),
    logFormat: r.oneOf({ path: 'logFormat', value: options.logFormat }, LOGGER_VARIABLES.format, LOG_FORMATS, 'auto'),
    kubernetes: k8sAttributesFromEnv(env),
    unsupportedVariableWarnings: unsupportedVariableWarnings(env),
    shutdownTimeoutMillis: r.int(
      { path: 'shutdownTimeoutMillis', value: options.shutdownTimeoutMillis },
      'OTELKIT_SHUTDOWN_TIMEOUT_MS',
      5_000,
      { min: 0, max: MAX_MILLIS },
    ),
    handleSignals: r.bool({ path: 'handleSignals', value: options.handleSignals }, 'OTELKIT_HANDLE_SIGNALS', true),
  };

  for (const path of config.ignorePaths) {
    if (!path.startsWith('/')) r.report('OTELKIT_IGNORE_PATHS', path, 'paths that start with /');
  }
  if (r.problems.length > 0) throw new ConfigError(r.problems);
  return config;
}

/**
 * OTEL_NODE_ENABLED_INSTRUMENTATIONS (or the defaults) less OTEL_NODE_DISABLED_INSTRUMENTATIONS. Express layer
 * spans are made by the Express instrumentation: asking for them enables it, unless it is disabled by name.
 */
function resolveInstrumentations(
  r: SettingsReader,
  option: readonly InstrumentationName[] | undefined,
  expressLayerSpans: boolean,
): ReadonlySet<InstrumentationName> {
  const expected = `a comma-separated list of ${INSTRUMENTATION_NAMES.join(', ')}`;
  const known = new Set<string>(INSTRUMENTATION_NAMES);
  const parse = (source: string, names: readonly string[]): InstrumentationName[] => {
    const unknown = names.filter((n) => !known.has(n));
    if (unknown.length > 0) r.report(source, names.join(','), expected);
    return names.filter((n): n is InstrumentationName => known.has(n));
  };
  const split = (name: string) =>
    (r.raw(name) ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);

  if (option !== undefined) {
    const chosen = parse('options.instrumentations', option);
    return new Set(expressLayerSpans ? [...chosen, 'express' as const] : chosen);
  }
  const enabledRaw = r.raw('OTEL_NODE_ENABLED_INSTRUMENTATIONS');
  const enabled =
    enabledRaw === undefined
      ? [...DEFAULT_INSTRUMENTATIONS]
      : parse('OTEL_NODE_ENABLED_INSTRUMENTATIONS', split('OTEL_NODE_ENABLED_INSTRUMENTATIONS'));
  const disabled = new Set(parse('OTEL_NODE_DISABLED_INSTRUMENTATIONS', split('OTEL_NODE_DISABLED_INSTRUMENTATIONS')));
  if (expressLayerSpans) enabled.push('express');
  return new Set(enabled.filter((n) => !disabled.has(n)));
}
