import type { MixinConfig } from '../config.js';
import { KUBERNETES } from '../exporter-metrics.js';
import { type DashboardSpec, type PanelSpec, UNITS } from '../grafana.js';
import { eq, increase, ne, rate, ratio, re, sel, sumBy } from '../promql.js';
import { dashboardUid } from './uids.js';

const K = KUBERNETES.metrics;
const { namespace, pod, container, resource, phase } = KUBERNETES.labels;

/** The service's pods from kube-prometheus-stack's metrics: kube-state-metrics and cAdvisor. */
export function kubernetesWorkload(config: MixinConfig): DashboardSpec {
  const pods = [eq(namespace, '$namespace'), re(pod, '$pod')];
  /** cAdvisor also reports the pod sandbox (container="") and the pod total: keep real containers only. */
  const containers = [...pods, ne(container, ''), ne(container, 'POD')];
  const toService = {
    title: 'Service overview of ${__field.labels.pod}',
    url: `/d/${dashboardUid(config, 'service-overview')}?var-pod=\${__field.labels.pod}&\${${namespace}:queryparam}&\${__url_time_range}`,
  };
  const usageVsRequests = (title: string, unit: string, usage: string, kind: 'cpu' | 'memory'): PanelSpec => ({
    kind: 'timeseries',
    title,
    description: `${kind === 'cpu' ? 'CPU cores used' : 'Memory working set'} per pod against the sum of its containers' requests and limits. Click a series for the pod's service overview.`,
    unit,
    queries: [
      { expr: usage, legend: `{{${pod}}}` },
      {
        expr: sumBy([pod], sel(K.containerResourceRequests, ...pods, eq(resource, kind))),
        legend: `requests {{${pod}}}`,
      },
      {
        expr: sumBy([pod], sel(K.containerResourceLimits, ...pods, eq(resource, kind))),
        legend: `limits {{${pod}}}`,
      },
    ],
    links: [toService],
  });
  return {
    uid: dashboardUid(config, 'kubernetes-workload'),
    title: `${config.service} / Kubernetes workload`,
    description: `Pods of ${config.service} in Kubernetes (kube-prometheus-stack: kube-state-metrics and cAdvisor). Every pod links to the service overview filtered by that pod.`,
    tags: config.grafana.tags,
    variables: [
      {
        name: 'namespace',
        label: 'Namespace',
        description: 'Namespace of the workload.',
        query: `label_values(${K.podInfo}, ${namespace})`,
        current: config.namespace,
      },
      {
        name: 'pod',
        label: 'Pod',
        description: `Pods of the workload (pod names matching ${config.podRegex}).`,
        query: `label_values(${sel(K.podInfo, eq(namespace, '$namespace'), re(pod, config.podRegex))}, ${pod})`,
        includeAll: true,
        multi: true,
      },
    ],
    links: [
      {
        title: 'Service overview',
        uid: dashboardUid(config, 'service-overview'),
        tooltip: 'RED metrics of the selected pods',
      },
    ],
    rows: [
      {
        title: 'Pods',
        panels: [
          {
            kind: 'stat',
            title: 'Running pods',
            description: 'Pods of the workload in phase Running.',
            unit: 'short',
            queries: [{ expr: sumBy([], sel(K.podStatusPhase, ...pods, eq(phase, 'Running'))), legend: 'running' }],
            baseColor: 'red',
            thresholds: [{ value: 1, color: 'green' }],
            width: 8,
          },
          {
            kind: 'stat',
            title: 'Ready containers',
            description: 'Containers passing their readiness probe.',
            unit: 'short',
            queries: [{ expr: sumBy([], sel(K.containerReady, ...pods)), legend: 'ready' }],
            baseColor: 'red',
            thresholds: [{ value: 1, color: 'green' }],
            width: 8,
          },
          {
            kind: 'stat',
            title: 'Restarts in the time range',
            description: `Container restarts over the selected range; the pod-restart alert fires at ${config.thresholds.podRestarts} within 15 minutes.`,
            unit: 'short',
            queries: [{ expr: sumBy([], increase(sel(K.containerRestarts, ...pods), '$__range')), legend: 'restarts' }],
            thresholds: [
              { value: 1, color: 'orange' },
              { value: config.thresholds.podRestarts, color: 'red' },
            ],
            width: 8,
          },
          {
            kind: 'timeseries',
            title: 'Restarts by pod',
            description: "Container restarts per pod. Click a series for the pod's service overview.",
            unit: 'short',
            queries: [{ expr: sumBy([pod], increase(sel(K.containerRestarts, ...pods))), legend: `{{${pod}}}` }],
            links: [toService],
            width: 24,
          },
        ],
      },
      {
        title: 'CPU',
        panels: [
          usageVsRequests(
            'CPU usage vs requests and limits',
            UNITS.cpuCores,
            sumBy([pod], rate(sel(K.containerCpuUsage, ...containers))),
            'cpu',
          ),
          {
            kind: 'timeseries',
            title: 'CPU throttling',
            description: 'Share of CFS periods in which the containers were throttled by their CPU limit.',
            unit: 'percentunit',
            queries: [
              {
                expr: ratio(
                  sumBy([pod], rate(sel(K.containerCpuThrottledPeriods, ...containers))),
                  sumBy([pod], rate(sel(K.containerCpuPeriods, ...containers))),
                ),
                legend: `{{${pod}}}`,
              },
            ],
            thresholds: [{ value: 0.25, color: 'red' }],
            links: [toService],
          },
        ],
      },
      {
        title: 'Memory',
        panels: [
          usageVsRequests(
            'Memory working set vs requests and limits',
            'bytes',
            sumBy([pod], sel(K.containerMemoryWorkingSet, ...containers)),
            'memory',
          ),
        ],
      },
    ],
  };
}
