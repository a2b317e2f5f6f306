/**
 * helm-values/jaeger.yaml: Jaeger v2 all-in-one (the chart's `jaeger` component) with in-memory storage, its
 * config given in full (`userconfig`) so it is the one our built Jaeger validates: OTLP in on the standard ports
 * (the agents export there), query API/UI on STACK.jaeger.queryPort, own metrics and health check on the ports of a
 * collector distribution (Jaeger v2 is one, alone in its pod: STACK.collector's metricsPort and healthPort; the native
 * stack moves them to STACK.jaeger's because both run on one host there).
 */
import { STACK } from '@otelkit/stack-topology';

/** The Jaeger v2 config (an OpenTelemetry Collector config with Jaeger's extensions). */
export function jaegerConfig(): Record<string, unknown> {
  return {
    service: {
      extensions: ['jaeger_storage', 'jaeger_query', 'healthcheckv2'],
      pipelines: { traces: { receivers: ['otlp'], processors: ['batch'], exporters: ['jaeger_storage_exporter'] } },
      telemetry: {
        resource: { 'service.name': STACK.jaeger.service },
        metrics: {
          level: 'detailed',
          readers: [{ pull: { exporter: { prometheus: { host: '0.0.0.0', port: STACK.collector.metricsPort } } } }],
        },
      },
    },
    extensions: {
      healthcheckv2: { use_v2: true, http: { endpoint: `0.0.0.0:${STACK.collector.healthPort}` } },
      jaeger_query: {
        storage: { traces: 'memstore' },
        http: { endpoint: `0.0.0.0:${STACK.jaeger.queryPort}` },
        grpc: { endpoint: `0.0.0.0:${STACK.jaeger.queryGrpcPort}` },
      },
      jaeger_storage: { backends: { memstore: { memory: { max_traces: 100000 } } } },
    },
    receivers: {
      otlp: {
        protocols: {
          grpc: { endpoint: `0.0.0.0:${STACK.collector.otlpGrpcPort}` },
          http: { endpoint: `0.0.0.0:${STACK.collector.otlpHttpPort}` },
        },
      },
    },
    processors: { batch: {} },
    exporters: { jaeger_storage_exporter: { trace_storage: 'memstore' } },
  };
}

export function jaegerValues(): Record<string, unknown> {
  return {
    userconfig: jaegerConfig(),
    jaeger: {
      enabled: true,
      replicas: 1,
      podSecurityContext: { runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001 },
      securityContext: {
        runAsNonRoot: true,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      },
    },
  };
}
