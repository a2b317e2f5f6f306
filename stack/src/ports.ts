import { STACK } from '@otelkit/stack-topology';
import { freePort } from '@otelkit/native-runtime';

/** Every port the native stack listens on (all on 127.0.0.1). */
export interface StackPorts {
  demo: number;
  demoMetrics: number;
  collectorOtlpGrpc: number;
  collectorOtlpHttp: number;
  collectorMetrics: number;
  collectorHealth: number;
  jaegerQuery: number;
  jaegerQueryGrpc: number;
  jaegerOtlpGrpc: number;
  jaegerOtlpHttp: number;
  jaegerMetrics: number;
  jaegerHealth: number;
  prometheus: number;
  alertmanager: number;
  postgres: number;
  postgresExporter: number;
}

/** The reference ports (@otelkit/stack-topology): what `npm run stack` and docker-compose use. */
export function defaultPorts(): StackPorts {
  return {
    demo: STACK.demo.port,
    demoMetrics: STACK.demo.metricsPort,
    collectorOtlpGrpc: STACK.collector.otlpGrpcPort,
    collectorOtlpHttp: STACK.collector.otlpHttpPort,
    collectorMetrics: STACK.collector.metricsPort,
    collectorHealth: STACK.collector.healthPort,
    jaegerQuery: STACK.jaeger.queryPort,
    jaegerQueryGrpc: STACK.jaeger.queryGrpcPort,
    jaegerOtlpGrpc: STACK.jaeger.otlpGrpcPort,
    jaegerOtlpHttp: STACK.jaeger.otlpHttpPort,
    jaegerMetrics: STACK.jaeger.metricsPort,
    jaegerHealth: STACK.jaeger.healthPort,
    prometheus: STACK.prometheus.port,
    alertmanager: STACK.alertmanager.port,
    postgres: STACK.postgres.port,
    postgresExporter: STACK.postgresExporter.port,
  };
}

/** Free ports for every component (tests: a stack that cannot clash with a running `npm run stack`). */
export async function freeStackPorts(): Promise<StackPorts> {
  const ports = defaultPorts();
  const entries = await Promise.all(Object.keys(ports).map(async (key) => [key, await freePort()] as const));
  return Object.fromEntries(entries) as unknown as StackPorts;
}
