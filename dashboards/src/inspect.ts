import type { Dashboard, Panel, RowPanel } from '@grafana/grafana-foundation-sdk/dashboard';
import { ALL_VALUE } from './grafana.js';

/** One query of one panel, as Grafana runs it. */
export interface PanelQuery {
  dashboard: string;
  panel: string;
  /** Panel type: timeseries, stat, bargauge. */
  panelType: string;
  refId: string;
  expr: string;
  instant: boolean;
  exemplar: boolean;
}

/** The panels of a dashboard, rows excluded. */
export function panelsOf(dashboard: Dashboard): Panel[] {
  return (dashboard.panels ?? []).filter((p): p is Panel => (p as RowPanel).type !== 'row');
}

/** Every Prometheus query of a dashboard's panels. */
export function dashboardQueries(dashboard: Dashboard): PanelQuery[] {
  return panelsOf(dashboard).flatMap((panel) =>
    (panel.targets ?? []).map((target) => {
      const t = target as { refId?: string; expr?: string; instant?: boolean; exemplar?: boolean };
      return {
        dashboard: dashboard.title ?? '',
        panel: panel.title ?? '',
        panelType: panel.type,
        refId: t.refId ?? '',
        expr: t.expr ?? '',
        instant: t.instant === true,
        exemplar: t.exemplar === true,
      };
    }),
  );
}

/** The value each template variable has when the dashboard opens: its default, or the All regex. */
export function defaultVariableValues(dashboard: Dashboard): Record<string, string> {
  const values: Record<string, string> = {};
  for (const variable of dashboard.templating?.list ?? []) {
    const v = variable as { name: string; includeAll?: boolean; current?: { value?: string | string[] } };
    const current = Array.isArray(v.current?.value) ? v.current?.value[0] : v.current?.value;
    values[v.name] = current === '$__all' ? ALL_VALUE : (current ?? '');
  }
  return values;
}

/** The Prometheus queries of a dashboard's annotations (the `ALERTS` of firing alerts). */
export function annotationQueries(dashboard: Dashboard): Array<{ name: string; expr: string }> {
  return (dashboard.annotations?.list ?? []).map((a) => ({ name: a.name, expr: a.expr ?? '' }));
}

/** The `label_values(selector, label)` queries of a dashboard's variables. */
export function variableQueries(dashboard: Dashboard): Array<{ name: string; selector: string; label: string }> {
  return (dashboard.templating?.list ?? []).map((variable) => {
    const v = variable as { name: string; query?: string };
    const match = /^label_values\((.*),\s*(\w+)\)$/.exec(v.query ?? '');
    if (!match) throw new Error(`variable ${v.name}: not a label_values(selector, label) query: ${v.query}`);
    return { name: v.name, selector: match[1] ?? '', label: match[2] ?? '' };
  });
}
