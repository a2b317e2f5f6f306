import { readFileSync } from 'node:fs';
import {
  DEMO_NAMESPACE,
  GRAFANA_DASHBOARD_LABEL,
  OBSERVABILITY_NAMESPACE,
  PROMETHEUS_SELECTOR_LABELS,
  RELEASES,
} from '@otelkit/kubernetes';
import { Ajv, type AnySchema } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { buildAll, DASHBOARD_KEYS, dashboardConfigMap, prometheusRule } from '../src/index.js';

/**
 * The Kubernetes outputs against kube-prometheus-stack itself (the pinned upstream copy the Helm values are checked
 * against, vendored in kubernetes/upstream-charts): the PrometheusRule against the CRD's openAPIV3Schema, the labels against the chart's default selectors.
 */
const CHART = new URL('../../kubernetes/upstream-charts/kube-prometheus-stack-88.5.3/', import.meta.url);
const chartFile = (path: string) => new URL(path, CHART);
const mixin = buildAll();

/** The CRD's Go regexes as JavaScript ones: `(?i)` (case-insensitive) is dropped, which only makes them stricter. */
function withJsPatterns(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withJsPatterns);
  if (schema === null || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([key, value]) => [
      key,
      key === 'pattern' && typeof value === 'string' ? value.replace('(?i)', '') : withJsPatterns(value),
    ]),
  );
}

describe('Kubernetes manifests vs kube-prometheus-stack 88.5.3', () => {
  const values = parse(readFileSync(chartFile('values.yaml'), 'utf8'));

  it('the PrometheusRule validates against the PrometheusRule CRD schema', () => {
    const crd = parseAllDocuments(readFileSync(chartFile('crds/crd-prometheusrules.yaml'), 'utf8'))
      .map((doc) => doc.toJS())
      .find((doc) => doc?.kind === 'CustomResourceDefinition');
    const version = crd.spec.versions.find((v: { name: string }) => v.name === 'v1');
    const ajv = new Ajv({ strict: false, allErrors: true });
    const validate = ajv.compile(withJsPatterns(version.schema.openAPIV3Schema) as AnySchema);
    const rule = prometheusRule(mixin, [...mixin.recordingRules, ...mixin.alertRules]);
    expect(validate(rule), JSON.stringify(validate.errors, null, 2)).toBe(true);
    expect(`${crd.spec.group}/v1`).toBe(rule.apiVersion);
    expect(crd.spec.names.kind).toBe(rule.kind);
    // and a broken one is rejected, so the check has teeth
    expect(validate({ ...rule, spec: { groups: [{ name: 'x', rules: [{ alert: 'A' }] }] } })).toBe(false);
  });

  it('the PrometheusRule carries the labels of its config (what helm-values select rules by: checked below)', () => {
    expect(prometheusRule(mixin, []).metadata.labels).toMatchObject(mixin.config.kubernetes.ruleLabels);
  });

  it("every dashboard ConfigMap carries the Grafana sidecar's default label", () => {
    const { label, labelValue } = values.grafana.sidecar.dashboards;
    for (const key of DASHBOARD_KEYS) {
      expect(dashboardConfigMap(mixin, key).metadata.labels).toHaveProperty(label, labelValue);
    }
  });
});

describe('defaults vs the Kubernetes layout of kubernetes/ (@otelkit/kubernetes)', () => {
  it('use the same namespaces, Prometheus selector label and sidecar label', () => {
    expect(mixin.config.namespace).toBe(DEMO_NAMESPACE);
    expect(mixin.config.kubernetes.monitoringNamespace).toBe(OBSERVABILITY_NAMESPACE);
    expect(mixin.config.kubernetes.ruleLabels).toEqual(PROMETHEUS_SELECTOR_LABELS);
    for (const key of DASHBOARD_KEYS) {
      expect(dashboardConfigMap(mixin, key).metadata.labels).toMatchObject(GRAFANA_DASHBOARD_LABEL);
    }
  });

  it("select the demo Deployment's pods by name, not its Postgres or k6 pods", () => {
    const pods = new RegExp(`^(?:${mixin.config.podRegex})$`);
    expect(pods.test(`${RELEASES.demo}-7d4b9c6f8d-x2x9z`)).toBe(true);
    expect(pods.test(`${RELEASES.demo}-postgres-0`)).toBe(false);
    expect(pods.test(`${RELEASES.demo}-k6-abcde`)).toBe(false);
  });
});
