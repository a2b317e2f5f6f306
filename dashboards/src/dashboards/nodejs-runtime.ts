import { METRICS, RUNTIME_LABELS, SDK_LABELS } from '@otelkit/node/names';
import type { MixinConfig } from '../config.js';
import { KUBERNETES, PROMETHEUS_LABELS } from '../exporter-metrics.js';
import { type DashboardSpec, UNITS } from '../grafana.js';
import { eq, maxBy, ne, num, rate, rateOrZero, re, sel, sumBy } from '../promql.js';
import { alertAnnotation, scopeMatchers, scopeVariables } from './scope.js';
import { dashboardUid } from './uids.js';

const { instance, job } = PROMETHEUS_LABELS;
const { pod, namespace } = KUBERNETES.labels;
const by = [namespace, instance, pod];
const legend = `{{${namespace}}} {{${pod}}} {{${instance}}}`;

/** The Node.js process: event loop, GC, heap, CPU, memory, handles, and the tracing SDK's own health. */
export function nodejsRuntime(config: MixinConfig): DashboardSpec {
  const all = [...scopeMatchers(), eq(job, '$job'), re(pod, '$pod')];
  const m = (metric: string, ...extra: string[]) => sel(metric, ...all, ...extra);
  return {
    uid: dashboardUid(config, 'nodejs-runtime'),
    title: `${config.service} / Node.js runtime`,
    description: `Runtime metrics of ${config.service} (prom-client default metrics and OpenTelemetry SDK self-observability, served by @otelkit/node).`,
    tags: config.grafana.tags,
    variables: [
      ...scopeVariables(config, METRICS.nodeVersionInfo),
      {
        name: 'job',
        label: 'Service',
        description: 'Prometheus job of the service.',
        query: `label_values(${sel(METRICS.nodeVersionInfo, ...scopeMatchers())}, ${job})`,
        current: config.jobs.service,
      },
      {
        name: 'pod',
        label: 'Pod',
        description: 'Kubernetes pods (All matches every instance outside Kubernetes).',
        query: `label_values(${sel(METRICS.nodeVersionInfo, ...scopeMatchers(), eq(job, '$job'))}, ${pod})`,
        includeAll: true,
        multi: true,
      },
    ],
    links: [{ title: 'Service overview', uid: dashboardUid(config, 'service-overview'), tooltip: 'RED metrics' }],
    annotations: [alertAnnotation(eq(job, '$job'))],
    rows: [
      {
        title: 'Event loop',
        panels: [
          {
            kind: 'timeseries',
            title: 'Event loop delay p50 / p90 / p99',
            description: `Event loop delay percentiles (perf_hooks histogram); sustained p99 above ${num(config.thresholds.eventLoopLagSeconds * 1000)} ms means requests wait for the CPU.`,
            unit: 's',
            queries: [
              { expr: maxBy(by, m(METRICS.eventLoopLagP50)), legend: `p50 ${legend}` },
              { expr: maxBy(by, m(METRICS.eventLoopLagP90)), legend: `p90 ${legend}` },
              { expr: maxBy(by, m(METRICS.eventLoopLagP99)), legend: `p99 ${legend}` },
            ],
            thresholds: [{ value: config.thresholds.eventLoopLagSeconds, color: 'red' }],
          },
          {
            kind: 'stat',
            title: 'Uptime',
            description: 'Time since the process started, per instance; a reset means a restart.',
            unit: 's',
            queries: [{ expr: `time() - ${m(METRICS.processStartTime)}`, legend }],
            width: 6,
          },
          {
            kind: 'stat',
            title: 'Node.js version',
            description: 'Node.js version of each instance (value: major version).',
            unit: 'none',
            queries: [
              {
                expr: maxBy([RUNTIME_LABELS.nodeVersion], m(METRICS.nodeVersionInfo)),
                legend: `{{${RUNTIME_LABELS.nodeVersion}}}`,
              },
            ],
            width: 6,
          },
        ],
      },
      {
        title: 'Garbage collection',
        panels: [
          {
            kind: 'timeseries',
            title: 'GC pauses per second by kind',
            description: 'Garbage collections per second by kind (minor = scavenge, major = mark-sweep-compact).',
            unit: 'ops',
            queries: [
              {
                expr: sumBy([RUNTIME_LABELS.gcKind], rate(m(`${METRICS.gcDuration}_count`))),
                legend: `{{${RUNTIME_LABELS.gcKind}}}`,
              },
            ],
          },
          {
            kind: 'timeseries',
            title: 'Time spent in GC',
            description: 'Share of wall-clock time spent in garbage collection, by kind.',
            unit: 'percentunit',
            queries: [
              {
                expr: sumBy([RUNTIME_LABELS.gcKind], rate(m(`${METRICS.gcDuration}_sum`))),
                legend: `{{${RUNTIME_LABELS.gcKind}}}`,
              },
            ],
            thresholds: [{ value: 0.1, color: 'red' }],
          },
        ],
      },
      {
        title: 'Memory',
        panels: [
          {
            kind: 'timeseries',
            title: 'Heap used / total',
            description: 'V8 heap in use and allocated, per instance.',
            unit: 'bytes',
            queries: [
              { expr: sumBy(by, m(METRICS.heapSizeUsed)), legend: `used ${legend}` },
              { expr: sumBy(by, m(METRICS.heapSizeTotal)), legend: `total ${legend}` },
            ],
          },
          {
            kind: 'timeseries',
            title: 'Heap used by space',
            description: 'V8 heap in use per heap space (new, old, code, large object, ...).',
            unit: 'bytes',
            queries: [
              {
                expr: sumBy([RUNTIME_LABELS.heapSpace], m(METRICS.heapSpaceUsed)),
                legend: `{{${RUNTIME_LABELS.heapSpace}}}`,
              },
            ],
            stacked: true,
          },
          {
            kind: 'timeseries',
            title: 'Resident and external memory',
            description: 'Resident set size of the process, and memory of C++ objects bound to JavaScript (buffers).',
            unit: 'bytes',
            queries: [
              { expr: sumBy(by, m(METRICS.processResidentMemory)), legend: `rss ${legend}` },
              { expr: sumBy(by, m(METRICS.externalMemory)), legend: `external ${legend}` },
            ],
          },
          {
            kind: 'timeseries',
            title: 'CPU usage',
            description:
              'CPU cores used by the process (CPU seconds per second, user and system); JavaScript runs on one, so near 1 the event loop is saturated.',
            unit: UNITS.cpuCores,
            queries: [{ expr: sumBy(by, rate(m(METRICS.processCpu))), legend }],
            thresholds: [{ value: 0.8, color: 'red' }],
          },
        ],
      },
      {
        title: 'Handles and file descriptors',
        panels: [
          {
            kind: 'timeseries',
            title: 'Active handles by type',
            description: 'libuv handles keeping the event loop alive (sockets, timers, ...); a steady climb is a leak.',
            unit: 'short',
            queries: [
              {
                expr: sumBy([RUNTIME_LABELS.resourceType], m(METRICS.activeHandles)),
                legend: `{{${RUNTIME_LABELS.resourceType}}}`,
              },
            ],
            stacked: true,
          },
          {
            kind: 'timeseries',
            title: 'Open file descriptors',
            description: 'Open file descriptors against the process limit.',
            unit: 'short',
            queries: [
              { expr: sumBy(by, m(METRICS.processOpenFds)), legend: `open ${legend}` },
              { expr: sumBy(by, m(METRICS.processMaxFds)), legend: `max ${legend}` },
            ],
          },
        ],
      },
      {
        title: 'Tracing SDK',
        panels: [
          {
            kind: 'timeseries',
            title: 'Spans processed and dropped',
            description:
              'Spans through the batch span processor per second; dropped spans (error_type set, e.g. queue_full) read 0 while none are dropped.',
            unit: 'ops',
            queries: [
              { expr: sumBy([], rate(m(METRICS.sdkSpansProcessed))), legend: 'processed' },
              {
                expr: rateOrZero(METRICS.sdkSpansProcessed, all, [ne(SDK_LABELS.errorType, '')], []),
                legend: 'dropped',
              },
            ],
          },
          {
            kind: 'timeseries',
            title: 'Span queue size / capacity',
            description: "Spans waiting in the batch processor's queue; at capacity new spans are dropped.",
            unit: 'short',
            queries: [
              { expr: sumBy(by, m(METRICS.sdkSpanQueueSize)), legend: `size ${legend}` },
              { expr: sumBy(by, m(METRICS.sdkSpanQueueCapacity)), legend: `capacity ${legend}` },
            ],
          },
        ],
      },
    ],
  };
}
