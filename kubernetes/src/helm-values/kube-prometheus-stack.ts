/**
 * helm-values/kube-prometheus-stack.yaml: Prometheus (exemplar storage, remote-write receiver for k6, monitor and
 * rule selectors on our release label), Grafana (Prometheus and Jaeger datasources with the fixed uids the
 * dashboards use, exemplar trace_id -> Jaeger, dashboards sidecar, admin credentials from an existing Secret) and
 * Alertmanager (the route tree of the local stacks, @otelkit/stack's alertmanagerConfig, with the receivers' URLs
 * read from files of an existing Secret that the Alertmanager pods mount).
 */
import { EXEMPLAR_TRACE_ID_LABEL } from '@otelkit/node/names';
import { DATASOURCE_UIDS, STACK } from '@otelkit/stack-topology';
import { ALERT_RECEIVERS, alertmanagerConfig } from '@otelkit/stack';
import { GRAFANA_DASHBOARD_LABEL, PROMETHEUS_SELECTOR_LABELS, SERVICES } from '../cluster.js';

/** The Secret the install guide creates for Grafana's admin (keys below); never inlined in values. */
export const GRAFANA_ADMIN_SECRET = {
  name: 'grafana-admin',
  userKey: 'admin-user',
  passwordKey: 'admin-password',
} as const;

/**
 * The Secret the install guide creates with the receivers' webhook URLs, one key per receiver (ALERT_RECEIVERS'
 * file names). `alertmanagerSpec.secrets` mounts it at /etc/alertmanager/secrets/<name>/<key>.
 */
export const ALERT_RECEIVERS_SECRET = {
  name: 'alertmanager-receivers',
  keys: Object.values(ALERT_RECEIVERS).map((r) => r.urlFile),
} as const;
/** Where the Prometheus Operator mounts the Secrets of `alertmanagerSpec.secrets`. */
export const ALERTMANAGER_SECRETS_MOUNT = '/etc/alertmanager/secrets';

export function kubePrometheusStackValues(): Record<string, unknown> {
  const [dashboardLabel, dashboardLabelValue] = Object.entries(GRAFANA_DASHBOARD_LABEL)[0] ?? [];
  const selector = { matchLabels: PROMETHEUS_SELECTOR_LABELS };
  return {
    grafana: {
      enabled: true,
      admin: {
        existingSecret: GRAFANA_ADMIN_SECRET.name,
        userKey: GRAFANA_ADMIN_SECRET.userKey,
        passwordKey: GRAFANA_ADMIN_SECRET.passwordKey,
      },
      sidecar: {
        dashboards: { enabled: true, label: dashboardLabel, labelValue: dashboardLabelValue, searchNamespace: 'ALL' },
        datasources: {
          enabled: true,
          defaultDatasourceEnabled: true,
          isDefaultDatasource: true,
          name: 'Prometheus',
          uid: DATASOURCE_UIDS.prometheus,
          httpMethod: 'POST',
          exemplarTraceIdDestinations: {
            datasourceUid: DATASOURCE_UIDS.jaeger,
            traceIdLabelName: EXEMPLAR_TRACE_ID_LABEL,
          },
        },
      },
      additionalDataSources: [
        {
          name: 'Jaeger',
          uid: DATASOURCE_UIDS.jaeger,
          type: 'jaeger',
          access: 'proxy',
          url: `http://${SERVICES.jaeger}:${STACK.jaeger.queryPort}`,
          editable: false,
        },
      ],
    },
    alertmanager: {
      enabled: true,
      // replaces the chart's default route tree (everything to a `null` receiver); Helm merges `global` and
      // `templates` of the chart's defaults into it
      config: alertmanagerConfig(`${ALERTMANAGER_SECRETS_MOUNT}/${ALERT_RECEIVERS_SECRET.name}`),
      alertmanagerSpec: { secrets: [ALERT_RECEIVERS_SECRET.name] },
    },
    prometheus: {
      prometheusSpec: {
        enableFeatures: ['exemplar-storage'],
        exemplars: { maxSize: 100000 },
        // k6 writes its results here (`k6 run --out experimental-prometheus-rw`).
        enableRemoteWriteReceiver: true,
        scrapeInterval: '15s',
        // Select exactly the resources that carry our release label, in every namespace ({} = all namespaces).
        serviceMonitorSelectorNilUsesHelmValues: false,
        serviceMonitorSelector: selector,
        serviceMonitorNamespaceSelector: {},
        podMonitorSelectorNilUsesHelmValues: false,
        podMonitorSelector: selector,
        podMonitorNamespaceSelector: {},
        ruleSelectorNilUsesHelmValues: false,
        ruleSelector: selector,
        ruleNamespaceSelector: {},
      },
    },
  };
}
