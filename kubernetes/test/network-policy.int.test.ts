// Which connections the shipped NetworkPolicies allow: the demo chart's (default deny in its namespace, then one
// allow per path) and Prometheus' from helm-values/kube-prometheus-stack.yaml, evaluated with the NetworkPolicy
// semantics of kubernetes/src/network-policy.ts on the pods the chart and the values create. Least privilege as a
// table: every path the stack needs is open, and the paths next to them are closed.
import { join } from 'node:path';
import { STACK } from '@otelkit/stack-topology';
import { describe, expect, it } from 'vitest';
import {
  connectionAllowed,
  DEMO_NAMESPACE,
  K8S_FILES,
  type K8sObject,
  type NetworkPolicy,
  OBSERVABILITY_NAMESPACE,
  type PolicyPod,
} from '../src/index.js';
import { readValues, renderDemoChart } from './helpers.js';

type Obj = K8sObject & { spec: any };
const rendered = renderDemoChart(['k6.enabled=true'], [join(K8S_FILES.demoChart, 'ci', 'production-values.yaml')])
  .objects as Obj[];
const kps = readValues('kubePrometheusStack') as {
  prometheus: { networkPolicy: { ingress: unknown; egress: unknown } };
};

/** The kube-prometheus-stack chart's Prometheus NetworkPolicy (templates/prometheus/networkpolicy.yaml) with our values. */
const prometheusPolicy: NetworkPolicy = {
  kind: 'NetworkPolicy',
  metadata: { name: 'kube-prometheus-stack-prometheus', namespace: OBSERVABILITY_NAMESPACE },
  spec: {
    podSelector: {
      matchLabels: {
        'app.kubernetes.io/name': 'prometheus',
        'operator.prometheus.io/name': 'kube-prometheus-stack-prometheus',
      },
    },
    policyTypes: ['Egress', 'Ingress'],
    ingress: kps.prometheus.networkPolicy.ingress as NetworkPolicy['spec']['ingress'],
    egress: kps.prometheus.networkPolicy.egress as NetworkPolicy['spec']['egress'],
  },
};
const policies = [
  ...(rendered.filter((o) => o.kind === 'NetworkPolicy') as unknown as NetworkPolicy[]),
  prometheusPolicy,
];

const templateLabels = (kind: string, component: string): Record<string, string> => {
  const object = rendered.find(
    (o) => o.kind === kind && o.metadata?.labels?.['app.kubernetes.io/component'] === component,
  )!;
  const template = kind === 'CronJob' ? object.spec.jobTemplate.spec.template : object.spec.template;
  return template.metadata.labels;
};
const exporterValues = readValues('postgresExporter') as { podLabels: Record<string, string> };
const pod = (name: string, namespace: string, labels: Record<string, string>, ports?: Record<string, number>) =>
  ({ name, namespace, labels, ports }) satisfies PolicyPod;

const P = {
  api: pod('api', DEMO_NAMESPACE, templateLabels('Deployment', 'api'), {
    http: STACK.demo.port,
    metrics: STACK.demo.metricsPort,
  }),
  postgres: pod('postgres', DEMO_NAMESPACE, templateLabels('StatefulSet', 'postgres'), {
    postgres: STACK.postgres.port,
  }),
  backup: pod('backup', DEMO_NAMESPACE, templateLabels('CronJob', 'backup')),
  k6: pod('k6', DEMO_NAMESPACE, templateLabels('Job', 'load-test')),
  exporter: pod('postgres-exporter', DEMO_NAMESPACE, {
    app: 'prometheus-postgres-exporter',
    ...exporterValues.podLabels,
  }),
  intruder: pod('another pod of the namespace', DEMO_NAMESPACE, { app: 'something-else' }),
  prometheus: pod('prometheus', OBSERVABILITY_NAMESPACE, prometheusPolicy.spec.podSelector.matchLabels!),
  grafana: pod('grafana', OBSERVABILITY_NAMESPACE, { 'app.kubernetes.io/name': 'grafana' }),
  agent: pod('agent collector', OBSERVABILITY_NAMESPACE, { 'app.kubernetes.io/name': 'otel-agent' }),
  gateway: pod('gateway data plane', 'envoy-gateway-system', { 'app.kubernetes.io/name': 'envoy' }),
  dns: pod('kube-dns', 'kube-system', { 'k8s-app': 'kube-dns' }),
  elsewhere: pod('a pod of another namespace', 'default', { app: 'x' }),
};

const OPEN: Array<[keyof typeof P, keyof typeof P, number]> = [
  ['api', 'postgres', STACK.postgres.port],
  ['api', 'dns', 53],
  ['api', 'agent', STACK.collector.otlpGrpcPort],
  ['k6', 'api', STACK.demo.port],
  ['k6', 'prometheus', STACK.prometheus.port],
  ['prometheus', 'api', STACK.demo.metricsPort],
  ['prometheus', 'exporter', STACK.postgresExporter.port],
  ['exporter', 'postgres', STACK.postgres.port],
  ['backup', 'postgres', STACK.postgres.port],
  ['backup', 'dns', 53],
  ['grafana', 'prometheus', STACK.prometheus.port],
  ['gateway', 'api', STACK.demo.port],
];
const CLOSED: Array<[keyof typeof P, keyof typeof P, number]> = [
  ['intruder', 'postgres', STACK.postgres.port],
  ['intruder', 'api', STACK.demo.port],
  ['intruder', 'prometheus', STACK.prometheus.port],
  ['intruder', 'exporter', STACK.postgresExporter.port],
  ['api', 'prometheus', STACK.prometheus.port],
  ['backup', 'prometheus', STACK.prometheus.port],
  ['exporter', 'prometheus', STACK.prometheus.port],
  ['elsewhere', 'prometheus', STACK.prometheus.port],
  ['elsewhere', 'api', STACK.demo.port],
  ['gateway', 'api', STACK.demo.metricsPort],
  ['prometheus', 'postgres', STACK.postgres.port],
  ['k6', 'postgres', STACK.postgres.port],
  ['backup', 'api', STACK.demo.port],
  ['postgres', 'dns', 53],
  ['postgres', 'api', STACK.demo.port],
  ['api', 'elsewhere', 443],
  ['exporter', 'api', STACK.demo.port],
];

describe('the NetworkPolicies allow exactly the paths the stack needs', () => {
  it.each(OPEN)('%s -> %s:%i is allowed', (from, to, port) => {
    expect(connectionAllowed(policies, P[from], P[to], port)).toBe(true);
  });
  it.each(CLOSED)('%s -> %s:%i is denied', (from, to, port) => {
    expect(connectionAllowed(policies, P[from], P[to], port)).toBe(false);
  });
  it('without the default deny, another pod of the namespace could reach the API and anything outside', () => {
    const withoutDeny = policies.filter((p) => !p.metadata?.name?.endsWith('-default-deny'));
    expect(connectionAllowed(withoutDeny, P.intruder, P.api, STACK.demo.port)).toBe(true);
    expect(connectionAllowed(withoutDeny, P.intruder, P.elsewhere, 443)).toBe(true);
  });
});

describe('connectionAllowed (NetworkPolicy semantics)', () => {
  const a = pod('a', 'ns', { app: 'a' });
  const b = pod('b', 'ns', { app: 'b' }, { web: 80 });
  const policy = (spec: NetworkPolicy['spec']): NetworkPolicy => ({
    kind: 'NetworkPolicy',
    metadata: { namespace: 'ns' },
    spec,
  });
  it('is open without policies, closed by a selecting policy with no rules, reopened by any allowing policy', () => {
    expect(connectionAllowed([], a, b, 80)).toBe(true);
    const deny = policy({ podSelector: {}, policyTypes: ['Ingress'] });
    expect(connectionAllowed([deny], a, b, 80)).toBe(false);
    const allow = policy({
      podSelector: { matchLabels: { app: 'b' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'a' } } }], ports: [{ port: 'web' }] }],
    });
    expect(connectionAllowed([deny, allow], a, b, 80)).toBe(true);
    expect(connectionAllowed([deny, allow], a, b, 81)).toBe(false);
    expect(connectionAllowed([deny, allow], pod('a2', 'other', { app: 'a' }), b, 80)).toBe(false);
  });
  it('ANDs namespaceSelector and podSelector in one peer, ORs peers', () => {
    const allow = policy({
      podSelector: {},
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'mon' } },
              podSelector: { matchLabels: { app: 'p' } },
            },
          ],
        },
      ],
    });
    expect(connectionAllowed([allow], pod('p', 'mon', { app: 'p' }), b, 80)).toBe(true);
    expect(connectionAllowed([allow], pod('q', 'mon', { app: 'q' }), b, 80)).toBe(false);
    expect(connectionAllowed([allow], pod('p', 'ns', { app: 'p' }), b, 80)).toBe(false);
  });
});
