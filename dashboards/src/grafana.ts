import * as bargauge from '@grafana/grafana-foundation-sdk/bargauge';
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { round } from './promql.js';

/**
 * The declarative shape of otelkit's dashboards, turned into Grafana JSON by @grafana/grafana-foundation-sdk: each
 * dashboard module describes rows of panels; this module owns layout, datasources, thresholds and links.
 */

export interface Query {
  expr: string;
  /** Grafana legend format, e.g. `{{http_route}}`. */
  legend: string;
  /** Instant query (bar gauges, stats of "now"). */
  instant?: boolean;
  /** Show exemplars (trace ids linked to Jaeger by the Prometheus datasource). */
  exemplar?: boolean;
}

export interface PanelSpec {
  kind: 'timeseries' | 'stat' | 'bargauge';
  title: string;
  description: string;
  /** A Grafana unit id: `s`, `percentunit`, `reqps`, `bytes`, `short`, `ops`, ... */
  unit: string;
  queries: Query[];
  /** Steps above the green base: `[{ value: 0.8, color: 'orange' }, { value: 0.95, color: 'red' }]`. */
  thresholds?: Array<{ value: number; color: string }>;
  /** Colour below the first threshold step; default green (use red for "higher is better" values). */
  baseColor?: string;
  min?: number;
  max?: number;
  /** Width in grid columns (of 24); default 12. */
  width?: number;
  stacked?: boolean;
  /**
   * Data links on the panel's series (e.g. to another dashboard with the series' pod); `external` opens in a new
   * tab (Jaeger's UI), the others replace the dashboard.
   */
  links?: Array<{ title: string; url: string; external?: boolean }>;
}

export interface RowSpec {
  title: string;
  panels: PanelSpec[];
}

export interface VariableSpec {
  name: string;
  label: string;
  description: string;
  /** `label_values(...)` query. */
  query: string;
  /** Selected by default; without it a variable with `includeAll` selects All. */
  current?: string;
  includeAll?: boolean;
  multi?: boolean;
}

export interface DashboardSpec {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  variables: VariableSpec[];
  rows: RowSpec[];
  /** Links to other dashboards by uid, carrying the time range and the variables. */
  links: Array<{ title: string; uid: string; tooltip: string }>;
  /** Annotations drawn on every time series panel, from Prometheus series (the `ALERTS` of firing alerts). */
  annotations?: AnnotationSpec[];
}

export interface AnnotationSpec {
  name: string;
  /** A Prometheus query: each series is an annotation region while it has samples. */
  expr: string;
  iconColor: string;
  /** Grafana's `{{label}}` templates of the annotation's title and text. */
  titleFormat: string;
  textFormat: string;
  /** Labels shown as the annotation's tags. */
  tagKeys: readonly string[];
}

/**
 * Units shared by several dashboards, so one quantity reads the same everywhere. CPU is in cores (CPU seconds per
 * second, Kubernetes' unit of requests and limits), written with Grafana's custom-unit syntax `suffix:<text>`.
 */
export const UNITS = { cpuCores: 'suffix:cores', burnRate: 'suffix:x' } as const;

/** Regex Grafana substitutes for "All" in every multi-value variable: matches an absent label too. */
export const ALL_VALUE = '.*';

const PANEL_HEIGHT = 8;

export function buildDashboard(spec: DashboardSpec, datasourceUid: string): dashboard.Dashboard {
  const datasource: dashboard.DataSourceRef = { type: 'prometheus', uid: datasourceUid };
  const builder = new dashboard.DashboardBuilder(spec.title)
    .uid(spec.uid)
    .description(spec.description)
    .tags(spec.tags)
    .editable()
    .refresh('30s')
    .time({ from: 'now-1h', to: 'now' })
    .timezone('browser')
    .tooltip(dashboard.DashboardCursorSync.Crosshair);
  for (const variable of spec.variables) builder.withVariable(buildVariable(variable, datasource));
  for (const annotation of spec.annotations ?? []) builder.annotation(buildAnnotation(annotation, datasource));
  builder.link(
    new dashboard.DashboardLinkBuilder('otelkit dashboards')
      .type(dashboard.DashboardLinkType.Dashboards)
      .tags(spec.tags)
      .asDropdown(true)
      .includeVars(true)
      .keepTime(true),
  );
  for (const link of spec.links) {
    builder.link(
      new dashboard.DashboardLinkBuilder(link.title)
        .type(dashboard.DashboardLinkType.Link)
        .url(`/d/${link.uid}`)
        .tooltip(link.tooltip)
        .icon('dashboard')
        .includeVars(true)
        .keepTime(true),
    );
  }
  let id = 1;
  for (const row of spec.rows) {
    builder.withRow(new dashboard.RowBuilder(row.title).id(id++));
    for (const panel of row.panels) builder.withPanel(buildPanel(panel, datasource).id(id++));
  }
  return builder.build();
}

/** The annotation step: how finely Grafana samples the query for regions (an alert's state changes per evaluation). */
const ANNOTATION_STEP = '30s';

function buildAnnotation(spec: AnnotationSpec, datasource: dashboard.DataSourceRef): dashboard.AnnotationQueryBuilder {
  return new dashboard.AnnotationQueryBuilder()
    .name(spec.name)
    .datasource(datasource)
    .enable(true)
    .iconColor(spec.iconColor)
    .expr(spec.expr)
    .target(new prometheus.DataqueryBuilder().refId('Anno').datasource(datasource).expr(spec.expr).range())
    .step(ANNOTATION_STEP)
    .titleFormat(spec.titleFormat)
    .textFormat(spec.textFormat)
    .tagKeys(spec.tagKeys.join(','))
    .useValueForTime(false);
}

function buildVariable(spec: VariableSpec, datasource: dashboard.DataSourceRef): dashboard.QueryVariableBuilder {
  const variable = new dashboard.QueryVariableBuilder(spec.name)
    .label(spec.label)
    .description(spec.description)
    .datasource(datasource)
    .query(spec.query)
    .definition(spec.query)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc)
    .multi(spec.multi ?? false)
    .includeAll(spec.includeAll ?? false);
  if (spec.includeAll) variable.allValue(ALL_VALUE);
  if (spec.current !== undefined) variable.current({ text: spec.current, value: spec.current });
  else if (spec.includeAll) variable.current({ text: 'All', value: '$__all' });
  return variable;
}

type AnyPanelBuilder = timeseries.PanelBuilder | stat.PanelBuilder | bargauge.PanelBuilder;

function buildPanel(spec: PanelSpec, datasource: dashboard.DataSourceRef): AnyPanelBuilder {
  const panel = panelOfKind(spec);
  panel
    .title(spec.title)
    .description(spec.description)
    .unit(spec.unit)
    .datasource(datasource)
    .span(spec.width ?? 12)
    .height(PANEL_HEIGHT)
    .thresholds(
      new dashboard.ThresholdsConfigBuilder()
        .mode(dashboard.ThresholdsMode.Absolute)
        .steps([
          { value: null, color: spec.baseColor ?? 'green' },
          ...(spec.thresholds ?? []).map(({ value, color }) => ({ value: round(value), color })),
        ]),
    );
  if (spec.min !== undefined) panel.min(spec.min);
  if (spec.max !== undefined) panel.max(spec.max);
  if (spec.links) {
    panel.dataLinks(
      spec.links.map((link) =>
        new dashboard.DashboardLinkBuilder(link.title)
          .type(dashboard.DashboardLinkType.Link)
          .url(link.url)
          .targetBlank(link.external === true),
      ),
    );
  }
  spec.queries.forEach((query, index) => {
    const target = new prometheus.DataqueryBuilder()
      .refId(String.fromCharCode(65 + index))
      .datasource(datasource)
      .expr(query.expr)
      .legendFormat(query.legend);
    // time series, not a table: a bar gauge draws one bar per series, named by the legend, and its data links read
    // the series' labels (${__field.labels.x}); a table frame would be one "Value" field without labels
    if (query.instant) target.instant().format(prometheus.PromQueryFormat.TimeSeries);
    else target.range();
    if (query.exemplar) target.exemplar(true);
    panel.withTarget(target);
  });
  return panel;
}

function panelOfKind(spec: PanelSpec): AnyPanelBuilder {
  switch (spec.kind) {
    case 'timeseries': {
      const panel = new timeseries.PanelBuilder()
        .lineWidth(1)
        .fillOpacity(spec.stacked ? 30 : 10)
        .showPoints(common.VisibilityMode.Never)
        .legend(
          new common.VizLegendOptionsBuilder()
            .showLegend(true)
            .displayMode(common.LegendDisplayMode.Table)
            .placement(common.LegendPlacement.Bottom)
            .calcs(['mean', 'max', 'lastNotNull']),
        )
        .tooltip(
          new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Multi).sort(common.SortOrder.Descending),
        );
      if (spec.thresholds?.length) {
        panel.thresholdsStyle(
          new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed),
        );
      }
      if (spec.stacked) panel.stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal));
      return panel;
    }
    case 'stat':
      return new stat.PanelBuilder()
        .colorMode(common.BigValueColorMode.Value)
        .graphMode(common.BigValueGraphMode.Area)
        .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false));
    case 'bargauge':
      return new bargauge.PanelBuilder()
        .orientation(common.VizOrientation.Horizontal)
        .displayMode(common.BarGaugeDisplayMode.Gradient)
        .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false));
  }
}
