import type { MixinConfig } from '../config.js';
import { KUBERNETES } from '../exporter-metrics.js';
import { eq, increase, maxBy, ne, re, sel, sumBy } from '../promql.js';
import { dashboardAlerts } from './alert.js';
import type { RuleGroup } from './types.js';

const { namespace, pod, container, resource, reason } = KUBERNETES.labels;
const K = KUBERNETES.metrics;

/**
 * The service's pods (kube-state-metrics, cAdvisor): restarting, near their memory limit, killed for memory. The
 * kubernetes-mixin alerts of kube-prometheus-stack cover every workload; these carry the service's label, runbook
 * and dashboard, so they route with its other alerts.
 */
export function kubernetesRules(config: MixinConfig): RuleGroup {
  const pods = [eq(namespace, config.namespace), re(pod, config.podRegex)];
  const byContainer = [namespace, pod, container];
  const restarts = (window: string) => sumBy(byContainer, increase(sel(K.containerRestarts, ...pods), window));
  const alert = dashboardAlerts(config, 'kubernetes-workload');
  return {
    name: `${config.service}-kubernetes`,
    rules: [
      alert({
        alert: 'ServicePodRestarting',
        expr: `${restarts('15m')} >= ${config.thresholds.podRestarts}`,
        // still restarting 5 minutes later: a crash loop, not one bad rollout step
        for: '5m',
        severity: 'warning',
        summary: `A pod of ${config.service} is restarting`,
        description:
          'Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} restarted {{ $value | humanize }} times in 15 minutes (crash loop or OOM kill).',
      }),
      alert({
        alert: 'ServiceMemoryNearLimit',
        expr: `${maxBy(byContainer, sel(K.containerMemoryWorkingSet, ...pods, ne(container, '')))} / ${maxBy(
          byContainer,
          sel(K.containerResourceLimits, ...pods, eq(resource, KUBERNETES.values.memory)),
        )} > ${config.thresholds.memoryLimitRatio}`,
        for: '15m',
        severity: 'warning',
        summary: `A container of ${config.service} is near its memory limit`,
        description: `Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} uses {{ $value | humanizePercentage }} of its memory limit (alert above ${config.thresholds.memoryLimitRatio * 100}%): it will be OOM-killed when it reaches it.`,
      }),
      alert({
        alert: 'ServiceOOMKilled',
        expr: `${restarts('10m')} > 0 and on (${byContainer.join(', ')}) ${maxBy(
          byContainer,
          sel(K.containerLastTerminatedReason, ...pods, eq(reason, KUBERNETES.values.oomKilled)),
        )} == 1`,
        severity: 'warning',
        summary: `A container of ${config.service} was OOM-killed`,
        description:
          'Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} was killed for exceeding its memory limit and restarted in the last 10 minutes.',
      }),
    ],
  };
}
