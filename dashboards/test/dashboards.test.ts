import { parser } from '@prometheus-io/lezer-promql';
import { DATASOURCE_UIDS } from '@otelkit/stack-topology';
import { describe, expect, it } from 'vitest';
import {
  ALL_VALUE,
  annotationQueries,
  BURN_RATES,
  buildAll,
  DASHBOARD_KEYS,
  dashboardQueries,
  defaultVariableValues,
  knownLabels,
  knownMetrics,
  panelsOf,
  parsePromql,
  jaegerSearchUrl,
  PROMETHEUS_ALERTS,
  renderFiles,
  SLO_PERIOD,
  sloRateRecordName,
  sloRecordName,
  substituteVariables,
  UNITS,
  variableQueries,
  withOverrides,
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
      // windows are $__rate_interval / $__range, never fixed, except the SLO period the error budget is counted over
      expect(query.expr.replaceAll(`[${SLO_PERIOD}]`, '')).not.toMatch(/\[\d+[smhd]\]/);
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

describe('dashboards of a service in more than one namespace', () => {
  const scoped = ['service-overview', 'nodejs-runtime', 'postgresql'] as const;
  /** Each vector selector of an expression, as written. */
  const selectors = (expr: string): string[] => {
    const found: string[] = [];
    parser.parse(expr).iterate({
      enter(node) {
        if (node.name === 'VectorSelector') found.push(expr.slice(node.from, node.to));
      },
    });
    return found;
  };

  it.each(scoped)('%s: cluster and namespace variables come first, defaulting to All and the config', (key) => {
    const list = mixin.dashboards[key].templating?.list ?? [];
    expect(list.slice(0, 2).map((v) => v.name)).toEqual(['cluster', 'namespace']);
    const values = defaultVariableValues(mixin.dashboards[key]);
    expect(values.cluster).toBe(ALL_VALUE);
    expect(values.namespace).toBe(mixin.config.namespace);
    // every later variable is read within them
    for (const variable of variableQueries(mixin.dashboards[key]).slice(2)) {
      expect(variable.selector, variable.name).toContain('cluster=~"$cluster"');
      expect(variable.selector, variable.name).toContain('namespace=~"$namespace"');
    }
  });

  it.each(scoped)('%s: every selector of every query is filtered by cluster and namespace', (key) => {
    for (const query of dashboardQueries(mixin.dashboards[key])) {
      for (const selector of selectors(query.expr)) {
        expect(selector, query.panel).toContain('cluster=~"$cluster"');
        expect(selector, query.panel).toContain('namespace=~"$namespace"');
      }
    }
  });

  it.each(scoped)('%s: annotates the firing alerts of its jobs in the selected cluster and namespaces', (key) => {
    const [annotation, ...more] = annotationQueries(mixin.dashboards[key]);
    expect(more).toEqual([]);
    const names = parsePromql(
      substituteVariables(annotation?.expr ?? '', defaultVariableValues(mixin.dashboards[key])),
    );
    expect(names.metrics).toEqual([PROMETHEUS_ALERTS.metric]);
    expect(names.labels.filter((l) => !labels.has(l))).toEqual([]);
    expect(annotation?.expr).toContain('alertstate="firing"');
    expect(annotation?.expr).toContain('cluster=~"$cluster"');
    expect(annotation?.expr).toContain('namespace=~"$namespace"');
    expect(annotation?.expr).toMatch(/job=~?"[^"]*\$job/);
  });

  it('links between dashboards carry the variables and the time range', () => {
    for (const key of DASHBOARD_KEYS) {
      for (const link of mixin.dashboards[key].links ?? []) {
        expect(link.includeVars, `${key}: ${link.title}`).toBe(true);
        expect(link.keepTime, `${key}: ${link.title}`).toBe(true);
      }
    }
    // data links to another dashboard name the pod's namespace too
    const dataLinks = Object.values(mixin.dashboards)
      .flatMap((d) => panelsOf(d))
      .flatMap((p) => p.fieldConfig?.defaults?.links ?? [])
      .filter((l) => (l as { url?: string }).url?.startsWith('/d/'));
    expect(dataLinks.length).toBeGreaterThanOrEqual(2);
    for (const link of dataLinks)
      expect((link as { url: string }).url).toMatch(/var-namespace=|\$\{namespace:queryparam\}/);
  });
});

describe('service overview', () => {
  const dashboard = mixin.dashboards['service-overview'];

  it('has an SLO row: the budget left over the SLO period and the burn rates, from the recording rules', () => {
    const row = (dashboard.panels ?? []).find((p) => p.type === 'row' && p.title === 'SLO');
    expect(row).toBeDefined();
    const queries = dashboardQueries(dashboard);
    const budget = queries.filter((q) => q.panel.endsWith(`error budget left (${SLO_PERIOD})`));
    const used = (expr: string) => parsePromql(substituteVariables(expr, defaultVariableValues(dashboard))).metrics;
    expect(budget.map((q) => used(q.expr))).toEqual([
      [sloRateRecordName('errors'), sloRateRecordName('requests')],
      [sloRateRecordName('slow'), sloRateRecordName('requests')],
    ]);
    const burn = queries.filter((q) => q.panel.endsWith('burn rate'));
    expect(
      burn.map(
        (q) =>
          parsePromql(
            substituteVariables(q.expr, {
              ...defaultVariableValues(dashboard),
            }),
          ).metrics[0],
      ),
    ).toEqual((['errors', 'slow'] as const).flatMap((sli) => BURN_RATES.map((b) => sloRecordName(sli, b.long))));
    const burnPanel = panelsOf(dashboard).find((p) => p.title === 'Availability burn rate');
    const steps = burnPanel?.fieldConfig?.defaults?.thresholds?.steps?.map((s) => s.value) ?? [];
    expect(steps).toEqual([null, ...new Set(BURN_RATES.map((b) => b.factor).sort((a, b) => a - b))]);
  });

  it("links a slow route to Jaeger's search for its spans slower than its p95, from one config value", () => {
    const panel = panelsOf(dashboard).find((p) => p.title?.startsWith('Top slow routes'));
    const [link] = panel?.fieldConfig?.defaults?.links ?? [];
    expect(link?.url).toBe(jaegerSearchUrl(mixin.config));
    expect(link?.url).toBe(
      `${mixin.config.jaegerUrl}/search?service=${mixin.config.service}` +
        '&operation=${__field.labels.http_request_method}%20${__field.labels.http_route}' +
        '&minDuration=${__value.raw}s&start=${__from}000&end=${__to}000&lookback=custom&limit=20',
    );
    expect(link?.targetBlank).toBe(true);
    const other = buildAll(withOverrides({ jaegerUrl: 'https://jaeger.example.com' })).dashboards['service-overview'];
    expect(JSON.stringify(other)).toContain('https://jaeger.example.com/search?');
    expect(() => withOverrides({ jaegerUrl: 'jaeger:16686/' })).toThrow(/jaegerUrl must be an http\(s\) URL/);
  });
});

describe('units and numbers', () => {
  it('CPU reads in cores on every dashboard', () => {
    const cpu = Object.values(mixin.dashboards)
      .flatMap((d) => panelsOf(d))
      .filter((p) => /CPU/.test(p.title ?? '') && !/throttl/i.test(p.title ?? ''));
    expect(cpu.length).toBeGreaterThanOrEqual(3);
    for (const panel of cpu) expect(panel.fieldConfig?.defaults?.unit, panel.title).toBe(UNITS.cpuCores);
  });

  it.each([
    ['the defaults', {}],
    [
      'other objectives',
      { slo: { availability: 0.995, latency: 0.95 }, loadTest: { failedRate: 0.03, checksRate: 0.97 } },
    ],
    [
      'other thresholds',
      { thresholds: { postgresConnectionsRatio: 0.7, collectorQueueRatio: 0.9, eventLoopLagSeconds: 0.3 } },
    ],
  ] as const)('no floating-point noise in thresholds, descriptions or rules with %s', (_, overrides) => {
    const files = renderFiles(buildAll(withOverrides(overrides)));
    for (const [path, text] of Object.entries(files)) {
      expect(text.match(/\d\.\d*(0{6,}|9{6,})\d/g), path).toBeNull();
    }
  });
});
