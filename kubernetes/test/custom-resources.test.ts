import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  crdFiles,
  CustomResourceValidator,
  isCustomResource,
  K8S_FILES,
  PROMETHEUS_SELECTOR_LABELS,
  readManifests,
  REPO_ROOT,
} from '../src/index.js';
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
