import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { K8S_ENV, METRICS_PATH, RESOURCE_ATTRIBUTES as R } from '@otelkit/node/names';
import { DEFAULT_IGNORED_PATHS, LEGACY_K8S_ENV } from '../../packages/node/src/names.js';
import { JOBS, STACK } from '@otelkit/stack-topology';
import { IMAGES } from '@otelkit/stack';
import { readToolVersions } from '@otelkit/native-runtime';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  crdFiles,
  CUSTOM_METRICS,
  CustomResourceValidator,
  DEMO_NAMESPACE,
  DEMO_POSTGRES,
  isCustomResource,
  k6ScriptFiles,
  K8S_FILES,
  type K8sObject,
  OBSERVABILITY_NAMESPACE,
  POSTGRES_CLIENT_LABEL,
  POSTGRES_EXPORTER_LABEL,
  PROMETHEUS_SELECTOR_LABELS,
  SERVICES,
} from '../src/index.js';
import { KUBE_VERSION, kubernetesValidate, renderDemoChart, runTool } from './helpers.js';

type Obj = K8sObject & { spec: any };
const values = parse(readFileSync(join(K8S_FILES.demoChart, 'values.yaml'), 'utf8'));

describe('demo/chart (otelkit-demo)', () => {
  let objects: Obj[];
  let withK6: Obj[];
  beforeAll(() => {
    objects = renderDemoChart().objects as Obj[];
    withK6 = renderDemoChart(['k6.enabled=true']).objects as Obj[];
  });
  const find = (list: Obj[], kind: string, component?: string) =>
    list.filter(
      (o) => o.kind === kind && (!component || o.metadata?.labels?.['app.kubernetes.io/component'] === component),
    );

  it('passes helm lint (strict)', () => {
    const run = runTool('helm', ['lint', '--strict', K8S_FILES.demoChart, '--kube-version', KUBE_VERSION]);
    expect(run.status, run.stdout + run.stderr).toBe(0);
  });

  it('takes its ports, images and names from @otelkit/stack-topology and the pinned versions', () => {
    expect(values.service).toEqual({ port: STACK.demo.port, metricsPort: STACK.demo.metricsPort });
    expect(values.postgres).toMatchObject({
      image: IMAGES.POSTGRES_IMAGE,
      port: STACK.postgres.port,
      database: STACK.postgres.database,
      existingSecret: DEMO_POSTGRES.secret,
      userKey: DEMO_POSTGRES.userKey,
      passwordKey: DEMO_POSTGRES.passwordKey,
    });
    expect(values.k6.image).toBe(`grafana/k6:${readToolVersions().K6_VERSION?.replace(/^v/, '')}`);
    expect(values.k6.prometheusRemoteWriteUrl).toBe(
      `http://${SERVICES.prometheus}:${STACK.prometheus.port}/api/v1/write`,
    );
    expect(values.otlp).toMatchObject({
      port: STACK.collector.otlpGrpcPort,
      collectorNamespace: OBSERVABILITY_NAMESPACE,
    });
    expect(values.networkPolicy.monitoringNamespace).toBe(OBSERVABILITY_NAMESPACE);
    expect(values.networkPolicy.postgresClientLabels).toEqual(POSTGRES_CLIENT_LABEL);
    expect(values.serviceMonitor.labels).toEqual(PROMETHEUS_SELECTOR_LABELS);
    const service = find(objects, 'Service', 'api')[0];
    expect(service?.metadata?.name, 'the Service name is the Prometheus job the dashboards select').toBe(JOBS.demo);
    const [monitor] = find(objects, 'ServiceMonitor');
    expect(monitor?.spec.endpoints[0].relabelings, 'job is the name the dashboards select').toEqual([
      { action: 'replace', targetLabel: 'job', replacement: JOBS.demo },
    ]);
    expect(find(objects, 'Service', 'postgres')[0]?.metadata?.name).toBe(DEMO_POSTGRES.service);
  });

  it('gives the demo the downward-API variables of K8S_ENV (and none of the deprecated names) and sends OTLP to the agent on its node', () => {
    const [deployment] = find(objects, 'Deployment');
    const container = deployment?.spec.template.spec.containers.find((c: { name: string }) => c.name === 'demo');
    const env = new Map<string, any>(container.env.map((e: { name: string }) => [e.name, e]));
    // each variable of K8S_ENV, from the pod field (or the container name) its attribute means
    const source: Record<string, unknown> = {
      [R.k8sPodName]: { fieldRef: { fieldPath: 'metadata.name' } },
      [R.k8sNamespaceName]: { fieldRef: { fieldPath: 'metadata.namespace' } },
      [R.k8sPodUid]: { fieldRef: { fieldPath: 'metadata.uid' } },
      [R.k8sPodIp]: { fieldRef: { fieldPath: 'status.podIP' } },
      [R.k8sNodeName]: { fieldRef: { fieldPath: 'spec.nodeName' } },
    };
    for (const [name, attribute] of Object.entries(K8S_ENV)) {
      if (attribute === R.k8sContainerName) expect(env.get(name)?.value, name).toBe(container.name);
      else expect(env.get(name)?.valueFrom, name).toEqual(source[attribute]);
    }
    // none of the deprecated unprefixed names (read only as a complete set, with a warning)
    expect(Object.keys(LEGACY_K8S_ENV).filter((name) => env.has(name))).toEqual([]);
    expect(env.get('HOST_IP').valueFrom.fieldRef.fieldPath).toBe('status.hostIP');
    expect(env.get('OTEL_EXPORTER_OTLP_ENDPOINT').value).toBe(`http://$(HOST_IP):${STACK.collector.otlpGrpcPort}`);
    // Kubernetes expands $(VAR) only from variables defined earlier in the list
    const names = container.env.map((e: { name: string }) => e.name);
    expect(names.indexOf('HOST_IP')).toBeLessThan(names.indexOf('OTEL_EXPORTER_OTLP_ENDPOINT'));
    expect(names.indexOf('PGUSER')).toBeLessThan(names.indexOf('DATABASE_URL'));
    expect(env.get('PGPASSWORD').valueFrom.secretKeyRef).toEqual({
      name: DEMO_POSTGRES.secret,
      key: DEMO_POSTGRES.passwordKey,
    });
    // the pod carries the app.kubernetes.io labels the agent extracts
    expect(Object.keys(deployment?.spec.template.metadata.labels)).toEqual(
      expect.arrayContaining([
        'app.kubernetes.io/name',
        'app.kubernetes.io/version',
        'app.kubernetes.io/component',
        'app.kubernetes.io/part-of',
      ]),
    );
  });

  it('probes /healthz and /readyz (paths the demo serves and otelkit does not trace), migrates in an init container', () => {
    const spec = find(objects, 'Deployment')[0]?.spec;
    const container = spec.template.spec.containers[0];
    expect(container.livenessProbe.httpGet.path).toBe('/healthz');
    expect(container.readinessProbe.httpGet.path).toBe('/readyz');
    expect(DEFAULT_IGNORED_PATHS).toEqual(expect.arrayContaining(['/healthz', '/readyz', METRICS_PATH]));
    expect(spec.template.spec.initContainers[0].command).toEqual(['node', 'dist/main.js', 'migrate', '--seed']);
    expect(spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
  });

  it('terminates in three steps: preStop sleep (no shell), drain, telemetry flush; the grace period is their sum', () => {
    const t = values.termination;
    const check = (rendered: Obj[], preStop: number, drain: number, flush: number, margin: number) => {
      const pod = find(rendered, 'Deployment')[0]?.spec.template.spec;
      const container = pod.containers.find((c: { name: string }) => c.name === 'demo');
      expect(container.lifecycle).toEqual({ preStop: { sleep: { seconds: preStop } } });
      const env = new Map<string, string>(container.env.map((e: { name: string; value: string }) => [e.name, e.value]));
      expect(env.get('SHUTDOWN_TIMEOUT_MS')).toBe(String((drain + flush) * 1000));
      expect(env.get('OTELKIT_SHUTDOWN_TIMEOUT_MS')).toBe(String(flush * 1000));
      expect(pod.terminationGracePeriodSeconds).toBe(preStop + drain + flush + margin);
    };
    check(objects, t.preStopSeconds, t.drainSeconds, t.telemetryFlushSeconds, t.exitMarginSeconds);
    // preStop long enough for the endpoint removal to propagate (faults/test/rollout.fault.test.ts replays it)
    expect(t.preStopSeconds).toBeGreaterThanOrEqual(5);
    const changed = renderDemoChart([
      'termination.preStopSeconds=20',
      'termination.drainSeconds=40',
      'termination.telemetryFlushSeconds=7',
      'termination.exitMarginSeconds=3',
    ]).objects as Obj[];
    check(changed, 20, 40, 7, 3);
  });

  it('hardens every pod: non-root, read-only root filesystem, no capabilities, RuntimeDefault seccomp, no token', () => {
    const pods = [
      ...[...find(withK6, 'Deployment'), ...find(withK6, 'StatefulSet'), ...find(withK6, 'Job')].map(
        (o) => o.spec.template.spec,
      ),
      ...find(withK6, 'CronJob').map((o) => o.spec.jobTemplate.spec.template.spec),
    ];
    expect(pods).toHaveLength(4);
    for (const pod of pods) {
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      expect(pod.automountServiceAccountToken).toBe(false);
      for (const container of [...pod.containers, ...(pod.initContainers ?? [])]) {
        expect(container.securityContext, container.name).toMatchObject({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        });
        expect(container.resources.limits, container.name).toBeDefined();
      }
    }
  });

  it('puts every object in the release namespace', () => {
    for (const o of withK6) expect(o.metadata?.namespace, `${o.kind} ${o.metadata?.name}`).toBe(DEMO_NAMESPACE);
  });

  it('references Secrets and never renders one or a literal password', () => {
    expect(withK6.filter((o) => o.kind === 'Secret')).toEqual([]);
    const text = renderDemoChart(['k6.enabled=true']).text;
    expect(text).not.toMatch(/POSTGRES_PASSWORD\n\s+value:/);
    expect(text).not.toMatch(/PGPASSWORD\n\s+value:/);
  });

  it('renders the HPA, PDB, ServiceMonitor, NetworkPolicies, Postgres with a PVC, and the k6 Job with its scripts', () => {
    const kinds = withK6.map((o) => o.kind);
    for (const kind of [
      'HorizontalPodAutoscaler',
      'PodDisruptionBudget',
      'ServiceMonitor',
      'NetworkPolicy',
      'StatefulSet',
      'Job',
      'CronJob',
      'PersistentVolumeClaim',
      'ConfigMap',
    ]) {
      expect(kinds, kind).toContain(kind);
    }
    expect(find(withK6, 'StatefulSet')[0]?.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe(
      values.postgres.storage.size,
    );
    const job = find(withK6, 'Job')[0]!;
    const [scripts] = job.spec.template.spec.volumes;
    const configMap = find(withK6, 'ConfigMap', 'load-test')[0] as Obj & { data: Record<string, string> };
    expect(scripts.configMap.name).toBe(configMap.metadata?.name);
    expect(scripts.configMap.items).toEqual(k6ScriptFiles().map(({ key, path }) => ({ key, path })));
    for (const { key, content } of k6ScriptFiles()) expect(configMap.data[key]).toBe(content);
    expect(job.spec.template.spec.containers[0].args.at(-1)).toBe('/loadtest/scenarios/load.ts');
    expect(kinds.filter((k) => k === 'NetworkPolicy')).toHaveLength(6);
    expect(objects.map((o) => o.kind)).not.toContain('Job');
  });

  it('validates: built-in kinds with kubernetes-validate (strict), custom resources against their CRDs', () => {
    const run = kubernetesValidate(withK6.filter((o) => !isCustomResource(o)));
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const validator = new CustomResourceValidator(crdFiles());
    const custom = withK6.filter(isCustomResource);
    expect(custom.map((o) => o.kind)).toEqual(['ServiceMonitor']);
    for (const resource of custom) {
      expect(validator.validate(resource)).toEqual([]);
      expect(resource.metadata?.labels).toMatchObject(PROMETHEUS_SELECTOR_LABELS);
    }
  });

  it('denies all traffic in its namespace by default, then allows each path explicitly (postgres-exporter too)', () => {
    const policies = find(objects, 'NetworkPolicy');
    const deny = policies.find((p) => p.metadata?.name?.endsWith('-default-deny'))!;
    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    const exporter = policies.find((p) => p.metadata?.name?.endsWith('-postgres-exporter'))!;
    expect(exporter.spec.podSelector.matchLabels).toEqual(POSTGRES_EXPORTER_LABEL);
    expect(values.networkPolicy.postgresExporter).toEqual({
      podLabels: POSTGRES_EXPORTER_LABEL,
      port: STACK.postgresExporter.port,
    });
    expect(exporter.spec.ingress).toEqual([
      {
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': OBSERVABILITY_NAMESPACE } } }],
        ports: [{ port: STACK.postgresExporter.port, protocol: 'TCP' }],
      },
    ]);
    // every policy of the chart lists both directions: nothing is open by omission
    for (const policy of policies)
      expect(policy.spec.policyTypes, policy.metadata?.name).toEqual(['Ingress', 'Egress']);
    expect(find(renderDemoChart(['networkPolicy.defaultDeny=false']).objects as Obj[], 'NetworkPolicy')).toHaveLength(
      3,
    );
  });

  it('autoscales on CPU (a floor), and with customMetrics on request rate and p95 latency; scale-down stabilized', () => {
    const hpa = find(objects, 'HorizontalPodAutoscaler')[0]!;
    expect(hpa.spec.metrics.map((m: { type: string }) => m.type)).toEqual(['Resource']);
    expect(hpa.spec.behavior.scaleDown.stabilizationWindowSeconds).toBe(300);
    const production = renderDemoChart([], [join(K8S_FILES.demoChart, 'ci', 'production-values.yaml')])
      .objects as Obj[];
    const metrics = find(production, 'HorizontalPodAutoscaler')[0]!.spec.metrics;
    expect(metrics[0]).toEqual(hpa.spec.metrics[0]);
    expect(metrics.slice(1)).toEqual([
      {
        type: 'Pods',
        pods: {
          metric: { name: CUSTOM_METRICS.requestsPerSecond },
          target: { type: 'AverageValue', averageValue: '50' },
        },
      },
      {
        type: 'Pods',
        pods: {
          metric: { name: CUSTOM_METRICS.p95LatencySeconds },
          target: { type: 'AverageValue', averageValue: '250m' },
        },
      },
    ]);
  });

  it('spreads the API pods over nodes and zones, per ReplicaSet', () => {
    const pod = find(objects, 'Deployment')[0]?.spec.template.spec;
    const selector = find(objects, 'Deployment')[0]?.spec.selector;
    expect(pod.topologySpreadConstraints.map((c: { topologyKey: string }) => c.topologyKey)).toEqual([
      'kubernetes.io/hostname',
      'topology.kubernetes.io/zone',
    ]);
    for (const constraint of pod.topologySpreadConstraints) {
      expect(constraint).toMatchObject({ maxSkew: 1, whenUnsatisfiable: 'ScheduleAnyway' });
      expect(constraint.labelSelector).toEqual(selector);
      expect(constraint.matchLabelKeys).toEqual(['pod-template-hash']);
    }
    const strict = renderDemoChart(['topologySpread.nodeWhenUnsatisfiable=DoNotSchedule']).objects as Obj[];
    expect(find(strict, 'Deployment')[0]?.spec.template.spec.topologySpreadConstraints[0].whenUnsatisfiable).toBe(
      'DoNotSchedule',
    );
  });

  it('edge (off by default): Gateway with HTTPS from a cert-manager Certificate, HTTPRoutes, redirect; CRD-valid', () => {
    expect(objects.filter((o) => o.metadata?.labels?.['app.kubernetes.io/component'] === 'edge')).toEqual([]);
    const production = renderDemoChart([], [join(K8S_FILES.demoChart, 'ci', 'production-values.yaml')])
      .objects as Obj[];
    const edge = production.filter((o) => o.metadata?.labels?.['app.kubernetes.io/component'] === 'edge');
    expect(edge.map((o) => o.kind).sort()).toEqual(['Certificate', 'Gateway', 'HTTPRoute', 'HTTPRoute', 'Issuer']);
    const validator = new CustomResourceValidator(crdFiles());
    for (const resource of edge) expect(validator.validate(resource), resource.kind).toEqual([]);
    const gateway = edge.find((o) => o.kind === 'Gateway')!;
    const certificate = edge.find((o) => o.kind === 'Certificate')!;
    const https = gateway.spec.listeners.find((l: { protocol: string }) => l.protocol === 'HTTPS');
    expect(https).toMatchObject({ port: 443, tls: { mode: 'Terminate' } });
    expect(https.tls.certificateRefs).toEqual([{ kind: 'Secret', name: certificate.spec.secretName }]);
    expect(certificate.spec.dnsNames).toEqual(['demo.example.com', 'grafana.example.com']);
    expect(certificate.spec.issuerRef.name).toBe(edge.find((o) => o.kind === 'Issuer')!.metadata?.name);
    const [route, redirect] = edge.filter((o) => o.kind === 'HTTPRoute');
    const service = find(production, 'Service', 'api')[0]!;
    expect(route!.spec.rules[0].backendRefs).toEqual([{ name: service.metadata?.name, port: values.service.port }]);
    expect(route!.spec.parentRefs[0].sectionName).toBe(https.name);
    expect(redirect!.spec.rules[0].filters[0]).toEqual({
      type: 'RequestRedirect',
      requestRedirect: { scheme: 'https', statusCode: 301 },
    });
    // the API's NetworkPolicy admits the Gateway's data plane
    const policy = production.find((o) => o.kind === 'NetworkPolicy' && o.metadata?.name === service.metadata?.name)!;
    expect(policy.spec.ingress).toContainEqual({
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': values.edge.dataPlaneNamespace } } }],
      ports: [{ port: 'http', protocol: 'TCP' }],
    });
    // an existing issuer instead of the chart's ACME Issuer
    const own = renderDemoChart(
      ['edge.tls.issuerRef.name=corp-ca', 'edge.tls.issuerRef.kind=ClusterIssuer'],
      [join(K8S_FILES.demoChart, 'ci', 'production-values.yaml')],
    ).objects as Obj[];
    expect(own.filter((o) => o.kind === 'Issuer')).toEqual([]);
    expect(own.find((o) => o.kind === 'Certificate')!.spec.issuerRef).toEqual({
      group: 'cert-manager.io',
      kind: 'ClusterIssuer',
      name: 'corp-ca',
    });
  });

  it('edge: a missing host class or email fails the install with a message that says what to set', () => {
    const run = (set: string[]) =>
      runTool('helm', ['template', 'x', K8S_FILES.demoChart, ...set.flatMap((s) => ['--set', s])]);
    expect(run(['edge.enabled=true']).stderr).toMatch(/edge.gateway.create needs edge.gateway.className/);
    expect(run(['edge.enabled=true', 'edge.gateway.className=eg']).stderr).toMatch(/edge.tls.acme.email is needed/);
    expect(run(['edge.enabled=true', 'edge.gateway.create=false', 'edge.tls.acme.email=a@b.c']).stderr).toMatch(
      /needs edge.gateway.name/,
    );
  });

  it('fails kubernetes-validate on a misspelled field (the check can fail)', () => {
    const [deployment] = find(objects, 'Deployment');
    const broken = structuredClone(deployment!) as Obj;
    broken.spec.template.spec.containers[0].readinesProbe = broken.spec.template.spec.containers[0].readinessProbe;
    const run = kubernetesValidate([broken]);
    expect(run.status).not.toBe(0);
    expect(run.stdout + run.stderr).toMatch(/readinesProbe/);
  });
});
