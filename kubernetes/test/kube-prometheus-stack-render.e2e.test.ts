import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SLO_WINDOWS } from '@otelkit/dashboards';
import { JOBS } from '@otelkit/stack-topology';
import { type ControlPlane, startControlPlane } from '@otelkit/native-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import {
  chartSource,
  helmValuesPath,
  type K8sObject,
  OBSERVABILITY_NAMESPACE,
  parseManifests,
  PROMETHEUS_SELECTOR_LABELS,
  SERVICES,
} from '../src/index.js';
import { installCrds, KUBE_VERSION, runTool, scratchDir } from './helpers.js';

/**
 * kube-prometheus-stack itself (its full chart, ../shared/upstream/chart-sources beside the repository: developers'
 * machines and CI) rendered with helm-values/kube-prometheus-stack.yaml under a release name that is not
 * `kube-prometheus-stack`: every ServiceMonitor, PodMonitor and PrometheusRule it creates carries the label its
 * Prometheus selects on, the Services keep the names the other values use, Prometheus keeps its data on a volume
 * for longer than the longest SLO window; and the whole render passes the real kube-apiserver's server-side dry-run.
 * The subcharts (grafana, kube-state-metrics, node-exporter) are not in the chart sources: their monitor labels are
 * values keys checked against their vendored defaults (helm-values.test.ts).
 */
const CHART = chartSource('kubePrometheusStack');
const RELEASE = 'observability';
type Obj = K8sObject & { spec: any };

/** Seconds of a Prometheus duration such as 3d, 6h, 30m. */
const seconds = (duration: string) => {
  const match = /^(\d+)([smhdwy])$/.exec(duration);
  if (!match) throw new Error(`not a simple Prometheus duration: ${duration}`);
  const unit = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800, y: 31_536_000 }[match[2] as 's'];
  return Number(match[1]) * unit;
};

describe.skipIf(!CHART)('kube-prometheus-stack rendered with our values under another release name', () => {
  let scratch: ReturnType<typeof scratchDir>;
  let text: string;
  let objects: Obj[];
  let plane: ControlPlane;
  beforeAll(async () => {
    scratch = scratchDir('kps');
    const chart = join(scratch.dir, 'kube-prometheus-stack');
    cpSync(CHART ?? '', chart, { recursive: true });
    // only the local crds subchart is in the sources: the others are left out of Chart.yaml (and disabled)
    const manifest = readFileSync(join(chart, 'Chart.yaml'), 'utf8');
    writeFileSync(
      join(chart, 'Chart.yaml'),
      `${manifest.slice(0, manifest.indexOf('dependencies:'))}dependencies:\n  - name: crds\n    version: "0.0.0"\n    condition: crds.enabled\n`,
    );
    const run = runTool('helm', [
      'template',
      RELEASE,
      chart,
      '--namespace',
      OBSERVABILITY_NAMESPACE,
      '--kube-version',
      KUBE_VERSION,
      '-f',
      helmValuesPath('kubePrometheusStack'),
      '--set',
      'grafana.enabled=false,kubeStateMetrics.enabled=false,nodeExporter.enabled=false,windowsMonitoring.enabled=false,crds.enabled=false',
    ]);
    expect(run.status, run.stderr).toBe(0);
    text = run.stdout;
    objects = parseManifests(text, 'kube-prometheus-stack').flatMap((o) =>
      o.kind === 'List' ? ((o as unknown as { items: Obj[] }).items ?? []) : [o as Obj],
    );
    plane = await startControlPlane();
    const crds = join(chart, 'charts', 'crds', 'crds');
    await installCrds(
      plane,
      readdirSync(crds).map((file) => readFileSync(join(crds, file), 'utf8')),
    );
    await plane.kubectl(['create', 'namespace', OBSERVABILITY_NAMESPACE]);
  }, 300_000);
  afterAll(async () => {
    await plane?.stop();
    scratch?.cleanup();
  });

  it('labels every monitor and rule it creates with what its Prometheus selects on', () => {
    const selected = objects.filter((o) => ['ServiceMonitor', 'PodMonitor', 'PrometheusRule'].includes(o.kind));
    expect(selected.length).toBeGreaterThan(20);
    for (const o of selected)
      expect(o.metadata?.labels, `${o.kind} ${o.metadata?.name}`).toMatchObject(PROMETHEUS_SELECTOR_LABELS);
    const prometheus = objects.find((o) => o.kind === 'Prometheus')!;
    for (const kind of ['serviceMonitor', 'podMonitor', 'rule']) {
      expect(prometheus.spec[`${kind}Selector`], kind).toEqual({ matchLabels: PROMETHEUS_SELECTOR_LABELS });
      expect(prometheus.spec[`${kind}NamespaceSelector`], kind).toEqual({});
    }
    // the default (the chart's release label) would not select the chart's own monitors under this release name
    expect(Object.keys(PROMETHEUS_SELECTOR_LABELS)).not.toContain('release');
  });

  it('keeps the Service names the other values use (k6 remote write, Grafana datasource)', () => {
    const services = objects.filter((o) => o.kind === 'Service').map((o) => o.metadata?.name);
    expect(services).toContain(SERVICES.prometheus.split('.')[0]);
  });

  it("scrapes Jaeger's own metrics, with the job the dashboards select", () => {
    const monitor = objects.find((o) => o.kind === 'ServiceMonitor' && o.metadata?.name === JOBS.jaeger)!;
    expect(monitor.spec.endpoints[0].relabelings).toEqual([
      { action: 'replace', targetLabel: 'job', replacement: JOBS.jaeger },
    ]);
    expect(monitor.spec.namespaceSelector).toEqual({ matchNames: [OBSERVABILITY_NAMESPACE] });
  });

  it('keeps Prometheus data on a volume, for longer than the longest SLO window', () => {
    const { spec } = objects.find((o) => o.kind === 'Prometheus')!;
    expect(spec.storage.volumeClaimTemplate.spec.resources.requests.storage).toMatch(/^\d+Gi$/);
    const longest = Math.max(...SLO_WINDOWS.map(seconds));
    expect(seconds(spec.retention)).toBeGreaterThan(longest);
    expect(spec.retentionSize).toMatch(/^\d+GB$/);
    const volumeGi = Number.parseInt(spec.storage.volumeClaimTemplate.spec.resources.requests.storage, 10);
    expect(Number.parseInt(spec.retentionSize, 10), 'the size bound fits the volume').toBeLessThan(volumeGi);
  });

  it('passes kubectl apply --server-side --dry-run=server --validate=strict', async () => {
    const out = await plane.kubectl(
      ['apply', '--server-side', '--dry-run=server', '--validate=strict', '--field-manager=otelkit', '-f', '-'],
      { input: objects.map((o) => stringify(o)).join('---\n') },
    );
    expect(out.split('\n').length).toBe(objects.length);
    // and the text exactly as Helm printed it
    const raw = await plane
      .kubectl(
        ['apply', '--server-side', '--dry-run=server', '--validate=strict', '--field-manager=otelkit', '-f', '-'],
        {
          input: text,
        },
      )
      .then(
        () => '',
        (error: unknown) => String(error),
      );
    expect(raw).toBe('');
  });
});
