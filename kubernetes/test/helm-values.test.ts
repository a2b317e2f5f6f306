import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXEMPLAR_TRACE_ID_LABEL } from '@otelkit/node/names';
import { DATASOURCE_UIDS, JOBS, STACK } from '@otelkit/stack-topology';
import { Ajv } from 'ajv';
import { readToolVersions } from '@otelkit/native-runtime';
import { alertmanagerConfig } from '@otelkit/stack';
import { describe, expect, it } from 'vitest';
import {
  AGENT_PRIORITY_CLASS,
  AGENT_QUEUE,
  AGENT_RESOURCES,
  agentGoMemLimit,
  chartDir,
  chartReference,
  CLUSTER_NAME,
  DEMO_NAMESPACE,
  DEMO_POSTGRES,
  DOCUMENTED_IN_COMMENTS,
  ALERT_RECEIVERS_SECRET,
  ALERTMANAGER_SECRETS_MOUNT,
  GRAFANA_ADMIN_SECRET,
  GRAFANA_DASHBOARD_LABEL,
  HELM_VALUES,
  K6_POD_LABELS,
  OBSERVABILITY_NAMESPACE,
  mebibytes,
  operatorResources,
  POSTGRES_CLIENT_LABEL,
  POSTGRES_EXPORTER_LABEL,
  PROMETHEUS_SELECTOR_LABELS,
  readAgentConfig,
  SERVICES,
  undeclaredValuePaths,
  type ChartId,
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
      const text = readFileSync(join(chartDir(id as ChartId), 'values.yaml'), 'utf8');
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
  it('runs on every node, tainted or not, with a priority above apps and below system-*', () => {
    expect(values.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(values.priorityClassName).toBe(AGENT_PRIORITY_CLASS.metadata.name);
    expect(values.extraManifests).toEqual([AGENT_PRIORITY_CLASS]);
    expect(AGENT_PRIORITY_CLASS.value).toBeGreaterThan(0);
    expect(AGENT_PRIORITY_CLASS.value).toBeLessThan(1_000_000_000); // system-cluster-critical is 2,000,000,000
    // the operator's resource, the same
    const cr = operatorResources().find((o) => o.kind === 'OpenTelemetryCollector') as any;
    expect(cr.spec.tolerations).toEqual(values.tolerations);
    expect(cr.spec.priorityClassName).toBe(values.priorityClassName);
    expect(operatorResources()[0]).toEqual(AGENT_PRIORITY_CLASS);
  });
  it('limits memory in percentages of the container limit, GOMEMLIMIT derived from it, a span queue that fills first', () => {
    const { config } = readAgentConfig();
    const limiter = config.processors.memory_limiter as { limit_percentage: number; spike_limit_percentage: number };
    expect(limiter).toMatchObject({ limit_percentage: 80, spike_limit_percentage: 20 });
    expect(Object.keys(limiter)).not.toContain('limit_mib');
    const limitMiB = mebibytes(AGENT_RESOURCES.limits.memory);
    expect(values.resources.limits.memory).toBe(AGENT_RESOURCES.limits.memory);
    expect(agentGoMemLimit()).toBe(`${Math.floor(limitMiB * 0.8)}MiB`);
    expect(values.extraEnvs).toContainEqual({ name: 'GOMEMLIMIT', value: agentGoMemLimit() });
    expect(values.useGOMEMLIMIT).toBe(false);
    // the queues count spans. One in memory, at <= 4 KiB per span, fits under the limiter's soft limit (60 %); one on
    // disk (file_storage, the agent's towards the gateways), at about 1 KiB per span, fits in half its volume
    const queues = Object.values(config.exporters as Record<string, any>).map((e) => e.sending_queue);
    expect(queues.length).toBeGreaterThan(0);
    for (const queue of queues) {
      expect(queue).toMatchObject({ enabled: true, sizer: 'items' });
      // `${env:VAR:-default}` resolves to its default in the shipped install
      const size = Number(String(queue.queue_size).replace(/^\$\{env:[A-Z_]+:-(\d+)\}$/, '$1'));
      expect(size).toBeGreaterThanOrEqual(10_000);
      if (queue.storage === undefined) {
        const softLimitMiB = (limitMiB * (limiter.limit_percentage - limiter.spike_limit_percentage)) / 100;
        expect((size * 4) / 1024, 'queue MiB at 4 KiB per span').toBeLessThan(softLimitMiB / 2);
      } else {
        expect(Object.keys(config.extensions as object)).toContain(queue.storage);
        const volumeMiB = mebibytes(AGENT_QUEUE.volume.emptyDir.sizeLimit);
        expect(size / 1024, 'queue MiB on disk at 1 KiB per span').toBeLessThan(volumeMiB / 2);
      }
    }
  });
  it('sets k8s.cluster.name from CLUSTER_NAME, pins its own metric names, and uses no legacy config forms', () => {
    const { config } = readAgentConfig();
    expect(values.extraEnvs).toContainEqual({
      name: 'OTEL_RESOURCE_ATTRIBUTES',
      value: `k8s.cluster.name=${CLUSTER_NAME}`,
    });
    expect((config.processors.resource_detection as { detectors: string[] }).detectors).toContain('env');
    const { telemetry } = config.service as Record<string, any>;
    expect(telemetry.resource).toEqual({ attributes: [{ name: 'service.name', value: 'otel-collector' }] });
    // pinned to Prometheus naming (the _total and unit suffixes the dashboards and alerts query), not left to defaults
    expect(telemetry.metrics.readers[0].pull.exporter.prometheus).toMatchObject({
      without_type_suffix: false,
      without_units: false,
      without_scope_info: true,
    });
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
    expect(values.grafana.sidecar.dashboards.provider.folder).toBe('otelkit');
    expect(values.grafana.admin.existingSecret).toBe(GRAFANA_ADMIN_SECRET.name);
    expect(JSON.stringify(values)).not.toMatch(/adminPassword/);
  });
  it("gives the chart's own monitors and rules (and its subcharts') the selector label, whatever the release name", () => {
    expect(values.commonLabels).toEqual(PROMETHEUS_SELECTOR_LABELS);
    for (const subchart of ['kube-state-metrics', 'prometheus-node-exporter'])
      expect(values[subchart].prometheus.monitor.additionalLabels, subchart).toEqual(PROMETHEUS_SELECTOR_LABELS);
    expect(values.grafana.serviceMonitor.labels).toEqual(PROMETHEUS_SELECTOR_LABELS);
    expect(values.fullnameOverride).toBe('kube-prometheus-stack');
  });
  it("opens Prometheus' port (and so its remote-write receiver) only to the monitoring namespace and the k6 pods", () => {
    const policy = values.prometheus.networkPolicy;
    expect(policy).toMatchObject({ enabled: true, flavor: 'kubernetes', egress: [{}] });
    expect(policy.ingress).toEqual([
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
    ]);
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
  it('stores exemplars, receives remote writes and selects monitors and rules by the selector label', () => {
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
    expect(values.podLabels).toEqual({ ...POSTGRES_CLIENT_LABEL, ...POSTGRES_EXPORTER_LABEL });
    expect(values.serviceMonitor).toMatchObject({ enabled: true, labels: PROMETHEUS_SELECTOR_LABELS });
  });
  it('scrapes the exporter under the job name the dashboards and alerts select', () => {
    expect(values.serviceMonitor.relabelings).toEqual([
      { action: 'replace', targetLabel: 'job', replacement: JOBS.postgresExporter },
    ]);
  });
});
