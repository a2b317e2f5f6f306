import type { MixinConfig } from '../config.js';
import { dashboardUid } from '../dashboards/uids.js';
import { COLLECTOR, KUBERNETES, POSTGRES_EXPORTER, PROMETHEUS_LABELS } from '../exporter-metrics.js';
import { eq, increase, maxBy, orZero, percent, rate, re, sel, sumBy } from '../promql.js';
import type { RuleGroup } from './types.js';

const { job, instance } = PROMETHEUS_LABELS;
const PG = POSTGRES_EXPORTER.metrics;
const C = COLLECTOR.metrics;

/** Postgres down, and connections near max_connections. */
export function postgresRules(config: MixinConfig): RuleGroup {
  const exporter = eq(job, config.jobs.postgresExporter);
  const limit = config.thresholds.postgresConnectionsRatio;
  return {
    name: `${config.service}-postgresql`,
    rules: [
      {
        alert: 'PostgresDown',
        expr: `${sel(PG.up, exporter)} == 0 or ${sel('up', exporter)} == 0`,
        for: '1m',
        labels: { severity: 'critical', service: config.service },
        annotations: {
          summary: 'PostgreSQL is down or unreachable',
          description:
            'postgres-exporter {{ $labels.instance }} cannot reach its database, or Prometheus cannot scrape the exporter, for 1 minute.',
          dashboard: `/d/${dashboardUid(config, 'postgresql')}`,
        },
      },
      {
        alert: 'PostgresConnectionsNearMax',
        expr: `${sumBy([job, instance], sel(PG.backends, exporter))} / ${maxBy([job, instance], sel(PG.maxConnections, exporter))} > ${limit}`,
        for: '5m',
        labels: { severity: 'warning', service: config.service },
        annotations: {
          summary: 'PostgreSQL connections are near max_connections',
          description: `{{ $value | humanizePercentage }} of max_connections are in use on {{ $labels.instance }} (alert above ${percent(limit)}): new connections will soon be refused.`,
          dashboard: `/d/${dashboardUid(config, 'postgresql')}`,
        },
      },
    ],
  };
}

/** The collector refusing spans (memory limiter), failing to export them, or about to drop them (queue full). */
export function collectorRules(config: MixinConfig): RuleGroup {
  const collector = eq(job, config.jobs.collector);
  const by = [job, instance];
  const dashboard = `/d/${dashboardUid(config, 'otel-collector')}`;
  return {
    name: `${config.service}-otel-collector`,
    rules: [
      {
        alert: 'OtelCollectorRefusingSpans',
        expr: `${sumBy([...by, COLLECTOR.labels.receiver], rate(sel(C.receiverRefusedSpans, collector), '5m'))} > 0`,
        for: '5m',
        labels: { severity: 'warning', service: config.service },
        annotations: {
          summary: 'The collector is refusing spans',
          description:
            'Receiver {{ $labels.receiver }} on {{ $labels.instance }} refuses {{ $value | humanize }} spans/s (memory limiter under memory pressure): senders retry or drop them.',
          dashboard,
        },
      },
      {
        alert: 'OtelCollectorDroppingSpans',
        expr: `${orZero(
          sumBy([...by, COLLECTOR.labels.exporter], rate(sel(C.exporterSendFailedSpans, collector), '5m')),
          sumBy([...by, COLLECTOR.labels.exporter], rate(sel(C.exporterSentSpans, collector), '5m')),
        )} + ${orZero(
          sumBy([...by, COLLECTOR.labels.exporter], rate(sel(C.exporterEnqueueFailedSpans, collector), '5m')),
          sumBy([...by, COLLECTOR.labels.exporter], rate(sel(C.exporterSentSpans, collector), '5m')),
        )} > 0`,
        for: '5m',
        labels: { severity: 'critical', service: config.service },
        annotations: {
          summary: 'The collector is dropping spans',
          description:
            'Exporter {{ $labels.exporter }} on {{ $labels.instance }} drops {{ $value | humanize }} spans/s (export failed after retries, or its queue is full): traces are lost.',
          dashboard,
        },
      },
      {
        alert: 'OtelCollectorQueueNearlyFull',
        expr: `${sumBy([...by, COLLECTOR.labels.exporter], sel(C.exporterQueueSize, collector))} / ${sumBy([...by, COLLECTOR.labels.exporter], sel(C.exporterQueueCapacity, collector))} > ${config.thresholds.collectorQueueRatio}`,
        for: '5m',
        labels: { severity: 'warning', service: config.service },
        annotations: {
          summary: "A collector exporter's queue is nearly full",
          description:
            'The sending queue of {{ $labels.exporter }} on {{ $labels.instance }} is {{ $value | humanizePercentage }} full: the backend is slow or down, and data is dropped when it fills.',
          dashboard,
        },
      },
    ],
  };
}

/** Pods of the service restarting (kube-state-metrics). */
export function kubernetesRules(config: MixinConfig): RuleGroup {
  const { namespace, pod, container } = KUBERNETES.labels;
  return {
    name: `${config.service}-kubernetes`,
    rules: [
      {
        alert: 'ServicePodRestarting',
        expr: `${sumBy(
          [namespace, pod, container],
          increase(
            sel(KUBERNETES.metrics.containerRestarts, eq(namespace, config.namespace), re(pod, config.podRegex)),
            '15m',
          ),
        )} >= ${config.thresholds.podRestarts}`,
        labels: { severity: 'warning', service: config.service },
        annotations: {
          summary: `A pod of ${config.service} is restarting`,
          description:
            'Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} restarted {{ $value | humanize }} times in 15 minutes (crash loop or OOM kill).',
          dashboard: `/d/${dashboardUid(config, 'kubernetes-workload')}`,
        },
      },
    ],
  };
}
