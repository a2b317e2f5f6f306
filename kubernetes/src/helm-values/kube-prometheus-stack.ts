/**
 * helm-values/kube-prometheus-stack.yaml: Prometheus (exemplar storage, remote-write receiver for k6, persistent
 * storage with a retention longer than the longest SLO window, monitor and rule selectors on a label that does not
 * depend on release names, Jaeger's own metrics scraped), Grafana (Prometheus and Jaeger datasources with the fixed
 * uids the dashboards use, exemplar trace_id -> Jaeger, dashboards sidecar, admin credentials from an existing
 * Secret) and Alertmanager (the route tree of the local stacks, @otelkit/stack's alertmanagerConfig, with the
 * receivers' URLs read from files of an existing Secret that the Alertmanager pods mount).
 */
import { EXEMPLAR_TRACE_ID_LABEL } from '@otelkit/node/names';
import { DATASOURCE_UIDS, JOBS, STACK } from '@otelkit/stack-topology';
import { ALERT_RECEIVERS, alertmanagerConfig } from '@otelkit/stack';
import { K6_POD_LABELS } from '../demo-chart.js';
import {
  DEMO_NAMESPACE,
  GRAFANA_DASHBOARD_LABEL,
  jobRelabeling,
  OBSERVABILITY_NAMESPACE,
  PROMETHEUS_SELECTOR_LABELS,
  RELEASES,
  SERVICES,
} from '../cluster.js';

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

/**
 * Prometheus' TSDB: a PersistentVolumeClaim per replica (an emptyDir would lose the burn-rate windows on every
 * restart), and a retention that covers the longest SLO window (3d, dashboards' SLO_WINDOWS) with room to compare
 * with the week before; the size bound keeps the volume from filling up (about 90 % of it).
 */
const PROMETHEUS_STORAGE = { size: '50Gi', retention: '10d', retentionSize: '45GB' } as const;

/** Grafana folder the sidecar puts our dashboards in. */
const GRAFANA_FOLDER = 'otelkit';

/** The port of Jaeger's own metrics on the jaeger chart's Service (its config's telemetry reader, jaeger.ts). */
const JAEGER_METRICS_PORT_NAME = 'internal-metrics';

export function kubePrometheusStackValues(): Record<string, unknown> {
  const [dashboardLabel, dashboardLabelValue] = Object.entries(GRAFANA_DASHBOARD_LABEL)[0] ?? [];
  const selector = { matchLabels: PROMETHEUS_SELECTOR_LABELS };
  return {
    // Names that do not depend on the release name: the Service `kube-prometheus-stack-prometheus` (SERVICES.prometheus,
    // k6's remote-write URL) whatever the release is called. (Grafana, a subchart, keeps `<release>-grafana`.)
    fullnameOverride: RELEASES.kubePrometheusStack,
    // the chart's own ServiceMonitors and PrometheusRules carry the selector label too (with any release name)
    commonLabels: PROMETHEUS_SELECTOR_LABELS,
    'kube-state-metrics': { prometheus: { monitor: { additionalLabels: PROMETHEUS_SELECTOR_LABELS } } },
    'prometheus-node-exporter': { prometheus: { monitor: { additionalLabels: PROMETHEUS_SELECTOR_LABELS } } },
    grafana: {
      enabled: true,
      serviceMonitor: { labels: PROMETHEUS_SELECTOR_LABELS },
      admin: {
        existingSecret: GRAFANA_ADMIN_SECRET.name,
        userKey: GRAFANA_ADMIN_SECRET.userKey,
        passwordKey: GRAFANA_ADMIN_SECRET.passwordKey,
      },
      sidecar: {
        dashboards: {
          enabled: true,
          label: dashboardLabel,
          labelValue: dashboardLabelValue,
          searchNamespace: 'ALL',
          provider: { folder: GRAFANA_FOLDER },
        },
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
      // Prometheus' port (queries and the remote-write receiver alike) only for the monitoring namespace (Grafana,
      // prometheus-adapter) and the demo's k6 Job; out to anything it scrapes.
      networkPolicy: {
        enabled: true,
        flavor: 'kubernetes',
        ingress: [
          {
            from: [
              { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': OBSERVABILITY_NAMESPACE } } },
              {
                namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': DEMO_NAMESPACE } },
                podSelector: { matchLabels: K6_POD_LABELS },
              },
            ],
            ports: [{ port: STACK.prometheus.port, protocol: 'TCP' }],
          },
        ],
        egress: [{}],
      },
      // Jaeger's own metrics (its collector pipeline's otelcol_* series), from the jaeger chart's Service
      additionalServiceMonitors: [
        {
          // (its selector label comes from commonLabels)
          name: JOBS.jaeger,
          namespaceSelector: { matchNames: [OBSERVABILITY_NAMESPACE] },
          selector: {
            matchLabels: {
              'app.kubernetes.io/name': STACK.jaeger.service,
              'app.kubernetes.io/component': 'all-in-one',
            },
          },
          endpoints: [{ port: JAEGER_METRICS_PORT_NAME, interval: '30s', relabelings: [jobRelabeling(JOBS.jaeger)] }],
        },
      ],
      prometheusSpec: {
        retention: PROMETHEUS_STORAGE.retention,
        retentionSize: PROMETHEUS_STORAGE.retentionSize,
        storageSpec: {
          volumeClaimTemplate: {
            spec: {
              accessModes: ['ReadWriteOnce'],
              resources: { requests: { storage: PROMETHEUS_STORAGE.size } },
            },
          },
        },
        enableFeatures: ['exemplar-storage'],
        exemplars: { maxSize: 100000 },
        // k6 writes its results here (`k6 run --out experimental-prometheus-rw`).
        enableRemoteWriteReceiver: true,
        scrapeInterval: '15s',
        // Select exactly the resources that carry PROMETHEUS_SELECTOR_LABELS, in every namespace ({} = all namespaces).
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
