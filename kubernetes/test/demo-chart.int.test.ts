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
  CustomResourceValidator,
  DEMO_NAMESPACE,
  DEMO_POSTGRES,
  isCustomResource,
  k6ScriptFiles,
  K8S_FILES,
  type K8sObject,
  OBSERVABILITY_NAMESPACE,
  POSTGRES_CLIENT_LABEL,
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

  it('hardens every pod: non-root, read-only root filesystem, no capabilities, RuntimeDefault seccomp, no token', () => {
    const pods = [...find(withK6, 'Deployment'), ...find(withK6, 'StatefulSet'), ...find(withK6, 'Job')].map(
      (o) => o.spec.template.spec,
    );
    expect(pods).toHaveLength(3);
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
    expect(kinds.filter((k) => k === 'NetworkPolicy')).toHaveLength(3);
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

  it('fails kubernetes-validate on a misspelled field (the check can fail)', () => {
    const [deployment] = find(objects, 'Deployment');
    const broken = structuredClone(deployment!) as Obj;
    broken.spec.template.spec.containers[0].readinesProbe = broken.spec.template.spec.containers[0].readinessProbe;
    const run = kubernetesValidate([broken]);
    expect(run.status).not.toBe(0);
    expect(run.stdout + run.stderr).toMatch(/readinesProbe/);
  });
});
