import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type ChartId,
  chartReference,
  CHARTS,
  DEMO_NAMESPACE,
  DEMO_POSTGRES,
  ALERT_RECEIVERS_SECRET,
  GRAFANA_ADMIN_SECRET,
  HELM_VALUES,
  K8S_FILES,
  OBSERVABILITY_NAMESPACE,
  OPENSEARCH_SECRETS,
  RELEASES,
  undeclaredValuePaths,
} from '../src/index.js';

const guide = readFileSync(join(K8S_FILES.helmValues, 'README.md'), 'utf8');
/** The guide's shell commands, continuation lines joined. */
const commands = [...guide.matchAll(/```sh\n([\s\S]*?)```/g)]
  .flatMap((m) => (m[1] ?? '').replace(/\\\n\s*/g, ' ').split('\n'))
  .map((line) => line.replace(/\s+#.*$/, '').trim())
  .filter(Boolean);

describe('helm-values/README.md (the install guide) matches what the values and tests assume', () => {
  const installs = commands.filter((c) => c.startsWith('helm install'));
  it('installs every upstream chart at its pinned version, from its repository, with our release names', () => {
    const byChart = new Map(installs.map((c) => [c.split(/\s+/)[3], c]));
    for (const [id, chart] of Object.entries(CHARTS)) {
      const command = byChart.get(`${chart.repo}/${chart.chart}`);
      expect(command, chart.chart).toBeDefined();
      expect(command).toContain(`--version ${chart.version}`);
      expect(guide).toContain(`helm repo add ${chart.repo} ${chart.url}`);
      if (id in HELM_VALUES)
        expect(command).toContain(`-f helm-values/${HELM_VALUES[id as keyof typeof HELM_VALUES].file}`);
    }
    const release = (chart: string) => byChart.get(chart)?.split(/\s+/)[2];
    expect(release('prometheus-community/kube-prometheus-stack')).toBe(RELEASES.kubePrometheusStack);
    expect(release('jaegertracing/jaeger')).toBe(RELEASES.jaeger);
    expect(release('open-telemetry/opentelemetry-collector')).toBe(RELEASES.agent);
    expect(release('prometheus-community/prometheus-postgres-exporter')).toBe(RELEASES.postgresExporter);
    expect(release('demo/chart')).toBe(RELEASES.demo);
    expect(release('opensearch/opensearch')).toBe(RELEASES.opensearch);
  });
  it('switches Jaeger to OpenSearch with its alternative values and the Secrets they reference', () => {
    const jaeger = CHARTS.jaeger;
    expect(commands).toContain(
      `helm upgrade ${RELEASES.jaeger} ${jaeger.repo}/${jaeger.chart} --version ${jaeger.version} -n ${OBSERVABILITY_NAMESPACE} -f helm-values/${HELM_VALUES.jaegerOpenSearch.file}`,
    );
    const { admin, jaeger: credentials, ca } = OPENSEARCH_SECRETS;
    const text = commands.map((c) => c.replace(/\s+/g, ' ')).join('\n');
    const secret = (name: string) => `kubectl -n ${OBSERVABILITY_NAMESPACE} create secret generic ${name}`;
    expect(text).toContain(`${secret(admin.name)} --from-literal=${admin.passwordKey}=`);
    expect(text).toContain(
      `${secret(credentials.name)} --from-literal=${credentials.usernameKey}=jaeger --from-literal=${credentials.passwordKey}=`,
    );
    expect(text).toContain(`${secret(ca.name)} --from-file=${ca.key}=`);
  });
  it('uses the namespaces and Secret names the values reference', () => {
    expect(commands).toContain(`kubectl create namespace ${OBSERVABILITY_NAMESPACE}`);
    expect(commands).toContain(`kubectl create namespace ${DEMO_NAMESPACE}`);
    expect(guide).toContain(`-n ${OBSERVABILITY_NAMESPACE} create secret generic ${GRAFANA_ADMIN_SECRET.name}`);
    expect(guide).toContain(`--from-literal=${GRAFANA_ADMIN_SECRET.passwordKey}=`);
    expect(guide).toContain(`-n ${DEMO_NAMESPACE} create secret generic ${DEMO_POSTGRES.secret}`);
    expect(guide).toContain(`--from-literal=${DEMO_POSTGRES.passwordKey}=`);
    expect(guide).toContain(`-n ${OBSERVABILITY_NAMESPACE} create secret generic ${ALERT_RECEIVERS_SECRET.name}`);
    for (const key of ALERT_RECEIVERS_SECRET.keys) expect(guide).toContain(`--from-literal=${key}=`);
    for (const c of installs.filter((c) => c.includes('postgres-exporter') || c.includes('demo/chart'))) {
      expect(c).toContain(`-n ${DEMO_NAMESPACE}`);
    }
  });
  it('passes only --set keys the chart declares', () => {
    for (const command of installs) {
      const chart = Object.entries(CHARTS).find(([, c]) => command.includes(`${c.repo}/${c.chart} `));
      for (const [, key] of command.matchAll(/--set ([\w.]+)=/g)) {
        expect(chart, command).toBeDefined();
        const values = key!.split('.').reduceRight<unknown>((inner, part) => ({ [part]: inner }), 'x');
        expect(undeclaredValuePaths(values, chartReference(chart![0] as ChartId)), key).toEqual([]);
      }
    }
  });
});
