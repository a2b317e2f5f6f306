import type { MixinConfig } from '../config.js';
import { COLLECTOR, PROMETHEUS_LABELS } from '../exporter-metrics.js';
import { type DashboardSpec, UNITS } from '../grafana.js';
import { eq, orZero, percent, rate, ratio, re, sel, sumBy } from '../promql.js';
import { dashboardUid } from './uids.js';

const C = COLLECTOR.metrics;
const K = COLLECTOR.kubernetesMetrics;
const { receiver, exporter, processor, signal, associationStatus } = COLLECTOR.labels;
const { job, instance } = PROMETHEUS_LABELS;

/** The collector's pipeline health from its own telemetry: spans in, refused, out, failed; queues; memory limiter. */
export function otelCollector(config: MixinConfig): DashboardSpec {
  const all = [eq(job, '$job'), re(instance, '$instance')];
  const m = (metric: string, ...extra: string[]) => sel(metric, ...all, ...extra);
  const spansRate = (metric: string, by: string[]) => sumBy(by, rate(m(metric)));
  return {
    uid: dashboardUid(config, 'otel-collector'),
    title: `${config.service} / OpenTelemetry Collector`,
    description:
      "The collector's own telemetry (level detailed): spans received, refused, exported and failed, export queues, the memory limiter, and the k8sattributes processor in Kubernetes.",
    tags: config.grafana.tags,
    variables: [
      {
        name: 'job',
        label: 'Collector',
        description: 'Prometheus job of the collector telemetry endpoint.',
        query: `label_values(${C.receiverAcceptedSpans}, ${job})`,
        current: config.jobs.collector,
      },
      {
        name: 'instance',
        label: 'Instance',
        description: 'Collector instances.',
        query: `label_values(${sel(C.receiverAcceptedSpans, eq(job, '$job'))}, ${instance})`,
        includeAll: true,
        multi: true,
      },
    ],
    links: [{ title: 'Service overview', uid: dashboardUid(config, 'service-overview'), tooltip: 'RED metrics' }],
    rows: [
      {
        title: 'Spans in',
        panels: [
          {
            kind: 'timeseries',
            title: 'Spans accepted by receiver',
            description: 'Spans per second accepted by each receiver and transport.',
            unit: 'ops',
            queries: [{ expr: spansRate(C.receiverAcceptedSpans, [receiver]), legend: `{{${receiver}}}` }],
          },
          {
            kind: 'timeseries',
            title: 'Spans refused by receiver',
            description:
              'Spans per second refused by the pipeline (the memory limiter under memory pressure): senders must retry or drop. The alert fires on any sustained refusal.',
            unit: 'ops',
            queries: [{ expr: spansRate(C.receiverRefusedSpans, [receiver]), legend: `{{${receiver}}}` }],
            thresholds: [{ value: 0.001, color: 'red' }],
          },
        ],
      },
      {
        title: 'Spans out',
        panels: [
          {
            kind: 'timeseries',
            title: 'Spans exported by exporter',
            description: 'Spans per second successfully sent by each exporter.',
            unit: 'ops',
            queries: [{ expr: spansRate(C.exporterSentSpans, [exporter]), legend: `{{${exporter}}}` }],
          },
          {
            kind: 'timeseries',
            title: 'Spans failed or dropped by exporter',
            description:
              'Spans per second the exporters gave up on after retries (send failed), or could not queue because the queue was full (enqueue failed). Reads 0 while nothing fails.',
            unit: 'ops',
            queries: [
              {
                expr: orZero(
                  spansRate(C.exporterSendFailedSpans, [exporter]),
                  spansRate(C.exporterSentSpans, [exporter]),
                ),
                legend: `send failed {{${exporter}}}`,
              },
              {
                expr: orZero(
                  spansRate(C.exporterEnqueueFailedSpans, [exporter]),
                  spansRate(C.exporterSentSpans, [exporter]),
                ),
                legend: `enqueue failed {{${exporter}}}`,
              },
            ],
            thresholds: [{ value: 0.001, color: 'red' }],
          },
        ],
      },
      {
        title: 'Queues and memory limiter',
        panels: [
          {
            kind: 'timeseries',
            title: 'Export queue size vs capacity',
            description:
              "Batches waiting in each exporter's sending queue, against its capacity; a full queue drops data.",
            unit: 'short',
            queries: [
              { expr: sumBy([exporter], m(C.exporterQueueSize)), legend: `size {{${exporter}}}` },
              { expr: sumBy([exporter], m(C.exporterQueueCapacity)), legend: `capacity {{${exporter}}}` },
            ],
          },
          {
            kind: 'timeseries',
            title: 'Export queue fill ratio',
            description: `Queue size over capacity per exporter; the alert fires above ${percent(config.thresholds.collectorQueueRatio)}.`,
            unit: 'percentunit',
            queries: [
              {
                expr: ratio(sumBy([exporter], m(C.exporterQueueSize)), sumBy([exporter], m(C.exporterQueueCapacity))),
                legend: `{{${exporter}}}`,
              },
            ],
            thresholds: [{ value: config.thresholds.collectorQueueRatio, color: 'red' }],
            min: 0,
            max: 1,
          },
          {
            kind: 'timeseries',
            title: 'Memory limiter: spans accepted and refused',
            description:
              'Spans per second the memory_limiter let through and refused (refused reads 0 while the collector is under its memory limit).',
            unit: 'ops',
            queries: [
              { expr: spansRate(C.memoryLimiterAcceptedSpans, [processor]), legend: `accepted {{${processor}}}` },
              {
                expr: orZero(
                  spansRate(C.memoryLimiterRefusedSpans, [processor]),
                  spansRate(C.memoryLimiterAcceptedSpans, [processor]),
                ),
                legend: `refused {{${processor}}}`,
              },
            ],
          },
          {
            kind: 'timeseries',
            title: 'Items in and out of each processor',
            description:
              'Items per second entering and leaving each processor, by signal; a gap means the processor dropped or filtered items.',
            unit: 'ops',
            queries: [
              {
                expr: sumBy([processor, signal], rate(m(C.processorIncomingItems))),
                legend: `in {{${processor}}} {{${signal}}}`,
              },
              {
                expr: sumBy([processor, signal], rate(m(C.processorOutgoingItems))),
                legend: `out {{${processor}}} {{${signal}}}`,
              },
            ],
          },
        ],
      },
      {
        title: 'Process',
        panels: [
          {
            kind: 'timeseries',
            title: 'Memory (RSS)',
            description: 'Resident memory of the collector process; the memory limiter refuses data near its limit.',
            unit: 'bytes',
            queries: [{ expr: sumBy([instance], m(C.processMemoryRss)), legend: `{{${instance}}}` }],
          },
          {
            kind: 'timeseries',
            title: 'CPU',
            description: 'CPU cores used by the collector process (CPU seconds per second).',
            unit: UNITS.cpuCores,
            queries: [{ expr: sumBy([instance], rate(m(C.processCpuSeconds))), legend: `{{${instance}}}` }],
          },
        ],
      },
      {
        title: 'Kubernetes attributes (k8sattributes processor)',
        panels: [
          {
            kind: 'timeseries',
            title: 'Pod association lookups by status',
            description:
              'Pod association evaluations per second of the k8sattributes processor; "error" means a lookup miss: spans that got no pod metadata. Only in Kubernetes.',
            unit: 'ops',
            queries: [
              {
                expr: sumBy([associationStatus], rate(m(K.k8sPodAssociation))),
                legend: `{{${associationStatus}}}`,
              },
            ],
          },
          {
            kind: 'timeseries',
            title: 'Pods in the k8sattributes table',
            description: 'Pods the processor watches and can associate spans with. Only in Kubernetes.',
            unit: 'short',
            queries: [{ expr: sumBy([instance], m(K.k8sPodTableSize)), legend: `{{${instance}}}` }],
          },
        ],
      },
    ],
  };
}
