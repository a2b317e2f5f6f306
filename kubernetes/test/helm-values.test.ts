import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXEMPLAR_TRACE_ID_LABEL } from '@otelkit/node/names';
import { DATASOURCE_UIDS, JOBS, STACK } from '@otelkit/stack-topology';
import { Ajv } from 'ajv';
import { readToolVersions } from '@otelkit/native-runtime';
import { alertmanagerConfig } from '@otelkit/stack';
import { describe, expect, it } from 'vitest';
import {
  chartDir,
  chartReference,
  DEMO_POSTGRES,
  DOCUMENTED_IN_COMMENTS,
  ALERT_RECEIVERS_SECRET,
  ALERTMANAGER_SECRETS_MOUNT,
  GRAFANA_ADMIN_SECRET,
  GRAFANA_DASHBOARD_LABEL,
  HELM_VALUES,
  POSTGRES_CLIENT_LABEL,
  PROMETHEUS_SELECTOR_LABELS,
  SERVICES,
  undeclaredValuePaths,
  type ValuesChartId,
  valuesChart,
} from '../src/index.js';
import { coalesce, readValues } from './helpers.js';

const ids = Object.keys(HELM_VALUES) as ValuesChartId[];

describe('every key path of helm-values/*.yaml is declared by its chart', () => {
  it.each(ids)('%s', (id) => {
    expect(undeclaredValuePaths(readValues(id), chartReference(valuesChart(id)))).toEqual([]);
  });

  it('catches a misspelled key, in the chart and in a subchart, but accepts keys inside free-form maps', () => {
    const kps = chartReference('kubePrometheusStack');
    const values = {
      prometheus: { prometheusSpec: { serviceMonitorSelecter: {}, ruleSelector: { matchLabels: { any: 'x' } } } },
      grafana: {
        sidecar: { dashbords: { enabled: true }, dashboards: { label: 'x' } },
        extraLabels: { 'free.example/key': 'yes' },
        additionalDataSources: [{ anything: 1 }],
      },
      grafanna: { enabled: true },
    };
    expect(undeclaredValuePaths(values, kps).sort()).toEqual([
      'grafana.sidecar.dashbords',
      'grafanna',
      'prometheus.prometheusSpec.serviceMonitorSelecter',
    ]);
    // schema-declared charts: a key outside the schema's properties is caught even where defaults are silent
    expect(
      undeclaredValuePaths({ ports: { otlp: { hostPrt: 1, enabled: true } }, modee: 'x' }, chartReference('collector')),
    ).toEqual(['ports.otlp.hostPrt', 'modee']);
    // a map with non-empty defaults is not free-form
    expect(undeclaredValuePaths({ jaeger: { podSecurityContext: { runAsUsr: 1 } } }, chartReference('jaeger'))).toEqual(
      ['jaeger.podSecurityContext.runAsUsr'],
    );
    // ... unless the chart renders it whole (PASSED_THROUGH), and only there
    expect(
      undeclaredValuePaths(
        { esIndexCleaner: { securityContext: { readOnlyRootFilesystem: true }, resources: {}, scedule: '' } },
        chartReference('jaeger'),
      ),
    ).toEqual(['esIndexCleaner.scedule']);
  });

  it('uses commented-only chart keys only where the upstream values.yaml documents them', () => {
    for (const [id, paths] of Object.entries(DOCUMENTED_IN_COMMENTS)) {
      const text = readFileSync(join(chartDir(id as ValuesChartId), 'values.yaml'), 'utf8');
      for (const path of paths ?? []) {
        const leaf = path.split('.').at(-1);
        expect(text, `${id}: ${path}`).toMatch(new RegExp(`^\\s*#\\s*${leaf}:`, 'm'));
      }
    }
  });
});

describe('helm-values/opentelemetry-collector.yaml', () => {
  const values = readValues('collector') as Record<string, any>;
  it("validates against the chart's values.schema.json", () => {
    const { $schema: _ignored, ...schema } = JSON.parse(
      readFileSync(join(chartDir('collector'), 'values.schema.json'), 'utf8'),
    );
    const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
    // Helm validates the defaults coalesced with the user's values
    const merged = coalesce(chartReference('collector').defaults, values);
    expect(validate(merged), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...(merged as object), mode: 'deamonset' })).toBe(false);
  });
  it('runs a DaemonSet with the OTLP ports on the node (hostPort, not hostNetwork) and K8S_NODE_NAME from the downward API', () => {
    expect(values.mode).toBe('daemonset');
    expect(values.hostNetwork).toBe(false);
    expect(values.ports.otlp).toMatchObject({
      enabled: true,
      containerPort: STACK.collector.otlpGrpcPort,
      hostPort: STACK.collector.otlpGrpcPort,
    });
    expect(values.ports['otlp-http']).toMatchObject({ enabled: true, hostPort: STACK.collector.otlpHttpPort });
    for (const unused of ['jaeger-compact', 'jaeger-thrift', 'jaeger-grpc', 'zipkin'])
      expect(values.ports[unused].enabled).toBe(false);
    expect(values.extraEnvs).toContainEqual({
      name: 'K8S_NODE_NAME',
      valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } },
    });
    expect(values.podMonitor).toMatchObject({ enabled: true, extraLabels: PROMETHEUS_SELECTOR_LABELS });
  });
  it('scrapes the agent under the job name the dashboards and alerts select', () => {
    expect(values.podMonitor.metricsEndpoints.map((e: { relabelings: unknown }) => e.relabelings)).toEqual([
      [{ action: 'replace', targetLabel: 'job', replacement: JOBS.collector }],
    ]);
  });
});

describe('helm-values/kube-prometheus-stack.yaml', () => {
  const values = readValues('kubePrometheusStack') as Record<string, any>;
  it('gives Grafana the Prometheus and Jaeger datasources with the fixed uids, exemplars linked to Jaeger', () => {
    const datasources = values.grafana.sidecar.datasources;
    expect(datasources.uid).toBe(DATASOURCE_UIDS.prometheus);
    expect(datasources.exemplarTraceIdDestinations).toEqual({
      datasourceUid: DATASOURCE_UIDS.jaeger,
      traceIdLabelName: EXEMPLAR_TRACE_ID_LABEL,
    });
    expect(values.grafana.additionalDataSources).toEqual([
      expect.objectContaining({
        uid: DATASOURCE_UIDS.jaeger,
        type: 'jaeger',
        url: `http://${SERVICES.jaeger}:${STACK.jaeger.queryPort}`,
      }),
    ]);
  });
  it('loads dashboards through the sidecar label and takes the admin credentials from a Secret', () => {
    const [label, labelValue] = Object.entries(GRAFANA_DASHBOARD_LABEL)[0]!;
    expect(values.grafana.sidecar.dashboards).toMatchObject({ enabled: true, label, labelValue });
    expect(values.grafana.admin.existingSecret).toBe(GRAFANA_ADMIN_SECRET.name);
    expect(JSON.stringify(values)).not.toMatch(/adminPassword/);
  });
  it('runs the Prometheus and Alertmanager releases the local stacks and tests pin (tools/versions.env)', () => {
    const defaults = chartReference('kubePrometheusStack').defaults as Record<string, any>;
    const versions = readToolVersions();
    expect(defaults.alertmanager.alertmanagerSpec.image.tag).toBe(versions.ALERTMANAGER_VERSION);
    // the chart's Prometheus image is the distroless build of the release
    expect(defaults.prometheus.prometheusSpec.image.tag).toMatch(
      new RegExp(`^${versions.PROMETHEUS_VERSION?.replace(/\./g, '\\.')}(-distroless)?$`),
    );
  });
  it('routes alerts as the local stacks do, reading every receiver URL from the mounted Secret', () => {
    expect(values.alertmanager.config).toEqual(
      alertmanagerConfig(`${ALERTMANAGER_SECRETS_MOUNT}/${ALERT_RECEIVERS_SECRET.name}`),
    );
    expect(values.alertmanager.alertmanagerSpec.secrets).toEqual([ALERT_RECEIVERS_SECRET.name]);
    const webhooks = (values.alertmanager.config.receivers as Array<Record<string, any>>).flatMap(
      (r) => r.webhook_configs ?? [],
    );
    expect(webhooks.map((w) => w.url_file).sort()).toEqual(
      ALERT_RECEIVERS_SECRET.keys
        .map((k) => `${ALERTMANAGER_SECRETS_MOUNT}/${ALERT_RECEIVERS_SECRET.name}/${k}`)
        .sort(),
    );
    expect(JSON.stringify(values.alertmanager)).not.toMatch(/"url"\s*:/);
  });
  it('stores exemplars, receives remote writes and selects monitors and rules by our release label', () => {
    const spec = values.prometheus.prometheusSpec;
    expect(spec.enableFeatures).toContain('exemplar-storage');
    expect(spec.enableRemoteWriteReceiver).toBe(true);
    for (const kind of ['serviceMonitor', 'podMonitor', 'rule']) {
      expect(spec[`${kind}Selector`], kind).toEqual({ matchLabels: PROMETHEUS_SELECTOR_LABELS });
      expect(spec[`${kind}SelectorNilUsesHelmValues`], kind).toBe(false);
      expect(spec[`${kind}NamespaceSelector`], kind).toEqual({});
    }
  });
});

describe('helm-values/prometheus-postgres-exporter.yaml', () => {
  const values = readValues('postgresExporter') as Record<string, any>;
  it('reads the credentials from the Secret by reference and ships a ServiceMonitor with the release label', () => {
    expect(values.config.datasource.userSecret).toEqual({ name: DEMO_POSTGRES.secret, key: DEMO_POSTGRES.userKey });
    expect(values.config.datasource.passwordSecret).toEqual({
      name: DEMO_POSTGRES.secret,
      key: DEMO_POSTGRES.passwordKey,
    });
    expect(values.config.datasource.password).toBeUndefined();
    expect(values.podLabels).toEqual(POSTGRES_CLIENT_LABEL);
    expect(values.serviceMonitor).toMatchObject({ enabled: true, labels: PROMETHEUS_SELECTOR_LABELS });
  });
  it('scrapes the exporter under the job name the dashboards and alerts select', () => {
    expect(values.serviceMonitor.relabelings).toEqual([
      { action: 'replace', targetLabel: 'job', replacement: JOBS.postgresExporter },
    ]);
  });
});
