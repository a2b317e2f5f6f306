import { relative } from 'node:path';
import { JOBS } from '@otelkit/stack-topology';
import { describe, expect, it } from 'vitest';
import {
  crdFiles,
  CustomResourceValidator,
  GRAFANA_DASHBOARD_LABEL,
  isCustomResource,
  K8S_FILES,
  OBSERVABILITY_NAMESPACE,
  PROMETHEUS_SELECTOR_LABELS,
  readManifests,
} from '../src/index.js';
import { REPO_ROOT } from '@otelkit/native-runtime';
import { shippedManifestFiles } from './helpers.js';

const validator = new CustomResourceValidator(crdFiles());

describe('custom resources validate against the CRDs of the pinned charts', () => {
  it('knows the kinds we ship', () => {
    expect(validator.kinds()).toEqual(
      expect.arrayContaining([
        'monitoring.coreos.com/v1/ServiceMonitor',
        'monitoring.coreos.com/v1/PodMonitor',
        'monitoring.coreos.com/v1/PrometheusRule',
        'opentelemetry.io/v1beta1/OpenTelemetryCollector',
      ]),
    );
  });

  const resources = shippedManifestFiles().flatMap((file) =>
    readManifests(file)
      .filter(isCustomResource)
      .map((object) => [`${relative(REPO_ROOT, file)}: ${object.kind} ${object.metadata?.name}`, object] as const),
  );
  it('finds custom resources in the shipped files', () => {
    expect(resources.length).toBeGreaterThanOrEqual(2);
  });
  it.each(resources)('%s', (_name, object) => {
    expect(validator.validate(object)).toEqual([]);
    if (object.apiVersion.startsWith('monitoring.coreos.com/')) {
      expect(object.metadata?.labels, 'Prometheus selects on the release label').toMatchObject(
        PROMETHEUS_SELECTOR_LABELS,
      );
    }
  });

  it('sets job on every shipped PodMonitor/ServiceMonitor endpoint to a JOBS name (what dashboards and alerts select)', () => {
    const monitors = resources.filter(([, o]) => o.kind === 'PodMonitor' || o.kind === 'ServiceMonitor');
    expect(monitors.length).toBeGreaterThan(0);
    for (const [name, monitor] of monitors) {
      const spec = monitor.spec as { podMetricsEndpoints?: unknown[]; endpoints?: unknown[] };
      for (const endpoint of (spec.podMetricsEndpoints ?? spec.endpoints ?? []) as Array<{ relabelings?: unknown }>)
        expect(endpoint.relabelings, name).toContainEqual({
          action: 'replace',
          targetLabel: 'job',
          replacement: expect.toBeOneOf(Object.values(JOBS)),
        });
    }
  });

  it('rejects a misspelled field, a wrong type and an unknown kind', () => {
    const monitor = {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: { name: 'x' },
      spec: { selector: { matchLabels: { a: 'b' } }, endpoints: [{ port: 'metrics', intervall: '15s' }] },
    };
    expect(validator.validate(monitor)).toEqual([expect.stringContaining('intervall')]);
    expect(validator.validate({ ...monitor, spec: { selector: {}, endpoints: 'metrics' } })).not.toEqual([]);
    const collector = readManifests(K8S_FILES.operatorManifest).find((o) => o.kind === 'OpenTelemetryCollector')!;
    expect(
      validator.validate({ ...collector, spec: { ...(collector.spec as object), mode: 'deamonset' } }),
    ).not.toEqual([]);
    expect(() => validator.validate({ apiVersion: 'example.com/v1', kind: 'Widget' })).toThrow(
      /no CRD for example.com\/v1\/Widget/,
    );
  });
});

describe('the shipped manifests agree with the stack the values install', () => {
  const objects = shippedManifestFiles().flatMap((file) => readManifests(file));
  it.each(objects.map((o) => [`${o.kind} ${o.metadata?.name}`, o] as const))('%s', (_name, object) => {
    const clusterScoped = ['ClusterRole', 'ClusterRoleBinding', 'PriorityClass'].includes(object.kind);
    if (!clusterScoped) expect(object.metadata?.namespace).toBe(OBSERVABILITY_NAMESPACE);
    if (object.kind === 'ConfigMap') {
      // the Grafana sidecar of helm-values/kube-prometheus-stack.yaml loads exactly the ConfigMaps with this label
      expect(object.metadata?.labels).toMatchObject(GRAFANA_DASHBOARD_LABEL);
      for (const json of Object.values((object as { data?: Record<string, string> }).data ?? {})) {
        expect(JSON.parse(json)).toHaveProperty('uid');
      }
    }
  });
});
