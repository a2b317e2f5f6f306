import { JOBS, STACK } from '@otelkit/stack-topology';
import type { StackPorts } from './ports.js';

type Job = (typeof JOBS)[keyof typeof JOBS];

/** `host:port` of each scrape job's target. */
export type TargetAddresses = Record<Job, string>;

/** Targets inside docker compose: service names and the container ports of @otelkit/stack-topology. */
export function composeTargets(): TargetAddresses {
  return {
    [JOBS.prometheus]: `localhost:${STACK.prometheus.port}`,
    [JOBS.demo]: `${STACK.demo.service}:${STACK.demo.metricsPort}`,
    [JOBS.collector]: `${STACK.collector.service}:${STACK.collector.metricsPort}`,
    [JOBS.jaeger]: `${STACK.jaeger.service}:${STACK.jaeger.metricsPort}`,
    [JOBS.postgresExporter]: `${STACK.postgresExporter.service}:${STACK.postgresExporter.port}`,
    [JOBS.alertmanager]: `${STACK.alertmanager.service}:${STACK.alertmanager.port}`,
  };
}

/** Targets of the native stack: everything on 127.0.0.1. */
export function nativeTargets(ports: StackPorts): TargetAddresses {
  const local = (port: number) => `127.0.0.1:${port}`;
  return {
    [JOBS.prometheus]: local(ports.prometheus),
    [JOBS.demo]: local(ports.demoMetrics),
    [JOBS.collector]: local(ports.collectorMetrics),
    [JOBS.jaeger]: local(ports.jaegerMetrics),
    [JOBS.postgresExporter]: local(ports.postgresExporter),
    [JOBS.alertmanager]: local(ports.alertmanager),
  };
}

/**
 * The target labels of each job. The demo and postgres-exporter get the `namespace` they have in Kubernetes (where
 * kube-prometheus-stack's ServiceMonitors set it): the dashboards' namespace variable, their queries and the SLO
 * recordings (aggregated by namespace and job) then work unchanged outside Kubernetes. The stack's own components
 * (collector, Jaeger, Prometheus) carry none, as their dashboards do not filter by namespace.
 */
function targetLabels(job: string, service: string): Record<string, string> {
  const namespace = { namespace: STACK.demo.namespace };
  if (job === JOBS.demo) return { service, ...namespace };
  if (job === JOBS.postgresExporter) return namespace;
  return {};
}

/** The file_sd files prometheus.yml reads (`targets/<job>.json`), by relative path. */
export function targetFiles(addresses: TargetAddresses, service = STACK.demo.service): Record<string, string> {
  return Object.fromEntries(
    Object.entries(addresses).map(([job, address]) => [
      `targets/${job}.json`,
      `${JSON.stringify([{ targets: [address], labels: targetLabels(job, service) }], null, 2)}\n`,
    ]),
  );
}
