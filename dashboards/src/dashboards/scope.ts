import type { MixinConfig } from '../config.js';
import { KUBERNETES, PROMETHEUS_ALERTS, PROMETHEUS_LABELS } from '../exporter-metrics.js';
import type { AnnotationSpec, VariableSpec } from '../grafana.js';
import { eq, re, sel } from '../promql.js';

/**
 * Where a service runs: the cluster and namespace variables of the service, Node.js and PostgreSQL dashboards, the
 * matchers that filter every one of their queries, and their alert annotations.
 *
 * `namespace` is a target label: kube-prometheus-stack's ServiceMonitors set it from the pod's namespace; the native
 * stack and compose set it in their scrape targets (stack/src/prometheus-targets.ts), so the variable has values
 * there too. `cluster` exists only where one Prometheus holds several clusters (an external label, Thanos, Mimir);
 * its default, All, also matches series without it.
 */
const { cluster, job } = PROMETHEUS_LABELS;
const { namespace } = KUBERNETES.labels;

/** The matchers of the two variables, for every query of a dashboard that has them. */
export const scopeMatchers = (): string[] => [re(cluster, '$cluster'), re(namespace, '$namespace')];

/**
 * The cluster and namespace variables, with the values of `metric`'s series selected by `matchers`. They come first:
 * the dashboard's other variables (job, pod) are read within them.
 */
export function scopeVariables(config: MixinConfig, metric: string, ...matchers: string[]): VariableSpec[] {
  return [
    {
      name: 'cluster',
      label: 'Cluster',
      description:
        'Cluster label of a Prometheus that holds several clusters; All also matches series without it (one cluster).',
      query: `label_values(${sel(metric, ...matchers)}, ${cluster})`,
      includeAll: true,
    },
    {
      name: 'namespace',
      label: 'Namespace',
      description: 'Kubernetes namespace of the targets (the native stack and compose label theirs too).',
      query: `label_values(${sel(metric, ...matchers, re(cluster, '$cluster'))}, ${namespace})`,
      current: config.namespace,
      includeAll: true,
      multi: true,
    },
  ];
}

/**
 * Firing alerts of the jobs `jobMatcher` selects in the selected cluster and namespaces, as annotations: Prometheus'
 * own `ALERTS` series, one region per alert while it fires.
 */
export function alertAnnotation(jobMatcher: string): AnnotationSpec {
  const { alertname, alertstate, severity } = PROMETHEUS_ALERTS.labels;
  return {
    name: 'Alerts',
    expr: sel(PROMETHEUS_ALERTS.metric, eq(alertstate, 'firing'), jobMatcher, ...scopeMatchers()),
    iconColor: 'red',
    titleFormat: `{{${alertname}}}`,
    textFormat: `{{${severity}}}: {{${alertname}}} on {{${namespace}}}/{{${job}}}`,
    tagKeys: [severity, namespace, job],
  };
}
