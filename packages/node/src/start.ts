import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { context, DiagLogLevel, diag, metrics, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  CompositePropagator,
  loggingErrorHandler,
  setGlobalErrorHandler,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
} from '@opentelemetry/core';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { AggregationType } from '@opentelemetry/sdk-metrics';
import type { TracerProvider } from '@opentelemetry/sdk-trace';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { resolveConfig } from './config/resolve-config.js';
import type { StartOptions } from './config/start-options.js';
import type { DiagLevelName, OtelkitConfig } from './config/types.js';
import { UNSUPPORTED_VARIABLE_WARNING_CODE } from './config/unsupported-variables.js';
import { registerEsmHook, wantsEsmHook } from './esm-hook.js';
import { captureExpressRoutes } from './http/express-route.js';
import { pathOf } from './http/normalize.js';
import { createRequestRecorder, createResponseHook } from './http/request-observer.js';
import { instrumentHttpServers } from './http/server-instrumentation.js';
import { createInstrumentations } from './instrumentations/create-instrumentations.js';
import { HANDLE_KEY } from './lifecycle/handle-key.js';
import { ConciseDiagLogger } from './lifecycle/concise-diag-logger.js';
import { installSignalHandlers } from './lifecycle/signal-handlers.js';
import { withTimeout } from './lifecycle/with-timeout.js';
import { createLogger, flushLogs } from './logging/create-logger.js';
import { MetricsExposition } from './metrics/metrics-exposition.js';
import { startMetricsServer, stopServer } from './metrics/metrics-server.js';
import { withoutInstruments } from './metrics/without-instruments.js';
import { INSTRUMENT_RENAMES } from './names.js';
import { INSTRUMENTATION_SCOPE } from './instrumentation-scope.js';
import { buildResource } from './resource/build-resource.js';
import { isReportedExportError } from './tracing/collector-reachability.js';
import { createTracerProvider } from './tracing/create-tracer-provider.js';
import { parentBasedTracerProvider } from './tracing/parent-based-tracer-provider.js';
import { followsParentDecision } from './tracing/sampler.js';

/** What `start()` returns. */
export interface OtelkitHandle {
  /** The resolved configuration. */
  readonly config: OtelkitConfig;
  /** Resolves once the ESM loader has acknowledged every hook and the metrics server listens (or failed to). */
  readonly ready: Promise<void>;
  /** The `/metrics` handler, for mounting in Express or another server. */
  readonly metricsHandler: (req: IncomingMessage, res: ServerResponse) => void;
  /** otelkit's pino logger (trace-correlated): its own messages, and one line per request when `requestLog` is on. */
  readonly logger: Logger;
  /** Serve another prom-client registry on /metrics. */
  addRegistry(registry: Registry): void;
  /** Flush and stop everything, within the shutdown timeout. Idempotent. */
  shutdown(): Promise<void>;
}

/** The http instrumentation's server duration histogram, which otelkit's own (with exemplars) replaces. */
const REPLACED_INSTRUMENT = 'http.server.request.duration';
type GlobalWithHandle = typeof globalThis & { [HANDLE_KEY]?: OtelkitHandle };

const DIAG_LEVELS: Record<DiagLevelName, DiagLogLevel> = {
  none: DiagLogLevel.NONE,
  error: DiagLogLevel.ERROR,
  warn: DiagLogLevel.WARN,
  info: DiagLogLevel.INFO,
  debug: DiagLogLevel.DEBUG,
  verbose: DiagLogLevel.VERBOSE,
  all: DiagLogLevel.ALL,
};

/** The handle of the running otelkit, if started. */
export function currentHandle(): OtelkitHandle | undefined {
  return (globalThis as GlobalWithHandle)[HANDLE_KEY];
}

/**
 * Starts tracing, metrics and log correlation. Call it before the application's modules are loaded (or use
 * `node --import @otelkit/node/register`). Invalid configuration throws a ConfigError before anything starts.
 * A second call logs a warning and returns the running handle.
 */
export function start(options: StartOptions = {}): OtelkitHandle {
  const g = globalThis as GlobalWithHandle;
  const running = g[HANDLE_KEY];
  if (running !== undefined) {
    process.emitWarning(
      'otelkit: start() was called again (already started, e.g. by --import @otelkit/node/register); ' +
        'the second call is ignored and returns the running instance.',
      'OtelkitWarning',
    );
    return running;
  }
  const config = resolveConfig(options);
  const logger = createLogger({ level: config.logLevel, format: config.logFormat });
  const exposition = new MetricsExposition({
    runtime: config.metrics.runtime && !config.disabled,
    registries: options.metrics?.registries ?? [],
    serializer: config.metrics.serializer,
    onWarning: (msg) => logger.warn(msg),
  });
  const handle = config.disabled
    ? disabledHandle(config, logger, exposition)
    : startEnabled(config, logger, exposition);
  if (!config.disabled) {
    for (const warning of config.unsupportedVariableWarnings) {
      process.emitWarning(warning, { type: 'OtelkitWarning', code: UNSUPPORTED_VARIABLE_WARNING_CODE });
    }
  }
  g[HANDLE_KEY] = handle;
  return handle;
}

function startEnabled(config: OtelkitConfig, logger: Logger, exposition: MetricsExposition): OtelkitHandle {
  diag.setLogger(new ConciseDiagLogger(), {
    logLevel: DIAG_LEVELS[config.diagLogLevel],
    suppressOverrideMessage: true,
  });
  // Export failures because the collector cannot be reached were told in one plain line (collector-reachability.ts).
  const logError = loggingErrorHandler();
  setGlobalErrorHandler((error) => {
    if (!isReportedExportError(error)) logError(error);
  });
  const waitForEsmHook = wantsEsmHook(config.esmHook, process.argv[1]) ? registerEsmHook() : () => Promise.resolve();

  const resource = buildResource(config);
  const meterProvider = exposition.createMeterProvider(resource, [
    // Replaced by otelkit's own histogram, which carries exemplars (see metrics/http-server-duration.ts). The
    // instrumentations get a no-op instrument for it (below); the view drops it should anything else record it.
    { instrumentName: REPLACED_INSTRUMENT, aggregation: { type: AggregationType.DROP } },
    ...Object.entries(INSTRUMENT_RENAMES).map(([instrumentName, name]) => ({ instrumentName, name })),
  ]);
  const tracerProvider = createTracerProvider(config, resource, meterProvider);

  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(
    new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }),
  );
  if (!trace.setGlobalTracerProvider(tracerProvider)) {
    logger.warn('otelkit: another OpenTelemetry tracer provider was already registered; otelkit spans may be lost');
  }
  metrics.setGlobalMeterProvider(meterProvider);

  let metricsServer: Server | undefined;
  const ignored = new Set(config.ignorePaths);
  const ignoreIncomingRequest = (req: IncomingMessage): boolean =>
    ignored.has(pathOf(req.url)) ||
    (metricsServer !== undefined && (req.socket as { server?: unknown }).server === metricsServer);
  const recordRequest = createRequestRecorder({
    histogram: exposition.httpServerDuration,
    logger: config.requestLog ? logger : undefined,
  });
  const upstreamHttpServer = config.httpServer === 'upstream';
  const tracesHttp = config.instrumentations.has('http');
  const stopCapturingRoutes = tracesHttp ? captureExpressRoutes() : () => {};
  const disableHttpServer =
    tracesHttp && !upstreamHttpServer
      ? instrumentHttpServers({
          tracer: tracerProvider.getTracer(INSTRUMENTATION_SCOPE.name, INSTRUMENTATION_SCOPE.version),
          ignore: ignoreIncomingRequest,
          onFinished: recordRequest,
        })
      : () => {};
  const disableUpstream = registerInstrumentations({
    tracerProvider: followsParentDecision(config.traces.sampler)
      ? parentBasedTracerProvider(tracerProvider)
      : tracerProvider,
    meterProvider: withoutInstruments(meterProvider, [REPLACED_INSTRUMENT]),
    instrumentations: createInstrumentations(config.instrumentations, {
      ignoreIncomingRequest,
      expressLayerSpans: config.expressLayerSpans,
      responseHook: createResponseHook(recordRequest),
      upstreamHttpServer,
    }),
  });
  const disableInstrumentations = () => {
    stopCapturingRoutes();
    disableHttpServer();
    disableUpstream();
  };

  const metricsReady = config.metrics.server
    ? startMetricsServer(exposition.handler(), config.metrics.host, config.metrics.port).then(
        (server) => {
          metricsServer = server;
        },
        (error: unknown) => {
          logger.error(
            { err: error },
            `otelkit: metrics server could not listen on ${config.metrics.host}:${config.metrics.port}; ` +
              'set OTEL_EXPORTER_PROMETHEUS_PORT or mount metricsHandler in your app',
          );
        },
      )
    : Promise.resolve();

  let stopping: Promise<void> | undefined;
  let uninstallSignals = () => {};
  const shutdown = (): Promise<void> => {
    stopping ??= (async () => {
      uninstallSignals();
      const outcome = await withTimeout(
        Promise.allSettled([
          shutdownTracing(tracerProvider),
          exposition.shutdown(),
          metricsReady.then(() => (metricsServer ? stopServer(metricsServer) : undefined)),
        ]),
        config.shutdownTimeoutMillis,
      );
      if (outcome !== 'done') {
        logger.warn(`otelkit: telemetry flush did not finish within ${config.shutdownTimeoutMillis} ms`);
      }
      disableInstrumentations();
      await flushLogs();
    })();
    return stopping;
  };
  if (config.handleSignals) uninstallSignals = installSignalHandlers(shutdown);

  return {
    config,
    // The container detector reads cgroup files asynchronously: settle it before the app's first span.
    ready: Promise.all([waitForEsmHook(), metricsReady, resource.waitForAsyncAttributes?.()]).then(() => undefined),
    metricsHandler: exposition.handler(),
    logger,
    addRegistry: (registry) => exposition.addRegistry(registry),
    shutdown,
  };
}

async function shutdownTracing(tracerProvider: TracerProvider): Promise<void> {
  await tracerProvider.forceFlush();
  await tracerProvider.shutdown();
}

function disabledHandle(config: OtelkitConfig, logger: Logger, exposition: MetricsExposition): OtelkitHandle {
  return {
    config,
    ready: Promise.resolve(),
    metricsHandler: exposition.handler(),
    logger,
    addRegistry: (registry) => exposition.addRegistry(registry),
    shutdown: () => exposition.shutdown(),
  };
}
