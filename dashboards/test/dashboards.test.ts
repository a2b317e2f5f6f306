import { DATASOURCE_UIDS } from '@otelkit/stack-topology';
import { describe, expect, it } from 'vitest';
import {
  buildAll,
  DASHBOARD_KEYS,
  dashboardQueries,
  defaultVariableValues,
  knownLabels,
  knownMetrics,
  panelsOf,
  parsePromql,
  substituteVariables,
  variableQueries,
} from '../src/index.js';

const mixin = buildAll();
const metrics = knownMetrics();
const labels = knownLabels();

describe.each(DASHBOARD_KEYS)('dashboard %s', (key) => {
  const dashboard = mixin.dashboards[key];
  const values = defaultVariableValues(dashboard);

  it('has rows, and every panel a title, a description, a unit and the fixed Prometheus datasource', () => {
    expect((dashboard.panels ?? []).some((p) => p.type === 'row')).toBe(true);
    const panels = panelsOf(dashboard);
    expect(panels.length).toBeGreaterThan(3);
    for (const panel of panels) {
      expect(panel.title, JSON.stringify(panel)).toBeTruthy();
      expect(panel.description, panel.title).toBeTruthy();
      expect(panel.fieldConfig?.defaults?.unit, panel.title).toBeTruthy();
      expect(panel.datasource, panel.title).toEqual({ type: 'prometheus', uid: DATASOURCE_UIDS.prometheus });
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
    }
  });

  it('never asks for a datasource input', () => {
    expect(JSON.stringify(dashboard)).not.toMatch(/\$\{?DS_/);
  });

  it('has template variables, each a label_values query over known names', () => {
    const variables = variableQueries(dashboard);
    expect(variables.length).toBeGreaterThan(0);
    for (const variable of variables) {
      const names = parsePromql(substituteVariables(variable.selector, values));
      expect(
        names.metrics.filter((m) => !metrics.has(m)),
        variable.name,
      ).toEqual([]);
      expect(
        [variable.label, ...names.labels].filter((l) => !labels.has(l)),
        variable.name,
      ).toEqual([]);
    }
  });

  it.each(dashboardQueries(dashboard).map((q) => [`${q.panel} ${q.refId}`, q] as const))(
    'query of %s parses and uses only manifest names',
    (_, query) => {
      expect(query.expr).not.toMatch(/\[\d+[smhd]\]/); // windows are $__rate_interval / $__range, never fixed
      const names = parsePromql(substituteVariables(query.expr, values));
      expect(names.metrics.length).toBeGreaterThan(0);
      expect(names.metrics.filter((m) => !metrics.has(m))).toEqual([]);
      expect(names.labels.filter((l) => !labels.has(l))).toEqual([]);
    },
  );

  it('links only to dashboards of the same config', () => {
    const uids = new Set(DASHBOARD_KEYS.map((k) => mixin.dashboards[k].uid));
    const json = JSON.stringify(dashboard);
    const linked = [...json.matchAll(/\/d\/([a-z0-9-]+)/g)].map((m) => m[1]);
    expect(linked.filter((uid) => !uids.has(uid ?? ''))).toEqual([]);
  });
});

describe('dashboards together', () => {
  it('have distinct uids and titles', () => {
    const all = Object.values(mixin.dashboards);
    expect(new Set(all.map((d) => d.uid)).size).toBe(all.length);
    expect(new Set(all.map((d) => d.title)).size).toBe(all.length);
  });

  it('show exemplars on every latency time series of the service overview', () => {
    const latency = dashboardQueries(mixin.dashboards['service-overview']).filter(
      (q) => q.expr.includes('histogram_quantile') && q.panelType === 'timeseries',
    );
    expect(latency.length).toBeGreaterThanOrEqual(4);
    for (const query of latency) expect(query.exemplar, query.panel).toBe(true);
  });

  it('link the Kubernetes workload and the service overview both ways, by pod', () => {
    const service = JSON.stringify(mixin.dashboards['service-overview']);
    const workload = JSON.stringify(mixin.dashboards['kubernetes-workload']);
    expect(service).toContain(`/d/${mixin.dashboards['kubernetes-workload'].uid}?var-pod=\${__field.labels.pod}`);
    expect(workload).toContain(`/d/${mixin.dashboards['service-overview'].uid}?var-pod=\${__field.labels.pod}`);
  });

  it('use $__rate_interval for rates', () => {
    const queries = Object.values(mixin.dashboards).flatMap(dashboardQueries);
    const rates = queries.filter((q) => /\b(rate|increase)\(/.test(q.expr));
    expect(rates.length).toBeGreaterThan(20);
    for (const q of rates) expect(q.expr, q.panel).toMatch(/\[\$__(rate_interval|range)\]/);
  });
});

describe('query checks', () => {
  it('reject a syntax error, with its position', () => {
    expect(() => parsePromql('sum(rate(up[1m])')).toThrow(/PromQL syntax error/);
  });
  it('reject an unknown Grafana variable', () => {
    expect(() => substituteVariables('up{job="$nope"}', {})).toThrow(/unknown Grafana variable \$nope/);
  });
  it('read metric and label names', () => {
    expect(parsePromql('sum by (a) (rate(x_total{b="1"}[1m])) / on (c) y')).toEqual({
      metrics: ['x_total', 'y'],
      labels: ['a', 'b', 'c'],
    });
  });
});
