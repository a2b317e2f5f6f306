import { METRICS } from '@otelkit/node/names';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  buildAll,
  dashboardUid,
  isAlert,
  knownLabels,
  knownMetrics,
  parsePromql,
  RUNBOOK_BASE_URL,
  type Rule,
  SLO_AGGREGATION,
  SLO_WINDOWS,
  sloRateRecordName,
  sloRecordName,
  withOverrides,
} from '../src/index.js';

const RUNBOOKS = fileURLToPath(new URL('../../docs/runbooks/', import.meta.url));

const mixin = buildAll();
const rules: Rule[] = [...mixin.recordingRules, ...mixin.alertRules].flatMap((g) => g.rules);
const recorded = new Set(rules.flatMap((r) => ('record' in r ? [r.record] : [])));

describe('rules', () => {
  it.each(rules.map((r) => [('record' in r ? r.record : r.alert) + ' ' + r.expr.slice(0, 60), r] as const))(
    '%s parses and uses only manifest names or recorded series',
    (_, rule) => {
      const names = parsePromql(rule.expr);
      const metrics = knownMetrics();
      expect(names.metrics.filter((m) => !metrics.has(m) && !recorded.has(m))).toEqual([]);
      expect(names.labels.filter((l) => !knownLabels().has(l))).toEqual([]);
    },
  );

  it('pair every alert with a severity, a summary, a description, a runbook and an absolute dashboard link', () => {
    const alerts = rules.filter(isAlert);
    expect(new Set(alerts.map((a) => a.alert))).toEqual(
      new Set([
        'ServiceAvailabilityBudgetBurn',
        'ServiceLatencyBudgetBurn',
        'ServiceTargetDown',
        'OtelCollectorTargetDown',
        'PostgresExporterTargetDown',
        'PostgresDown',
        'PostgresConnectionsNearMax',
        'PostgresDeadlocks',
        'PostgresRollbackRatioHigh',
        'PostgresCacheHitRatioLow',
        'PostgresIdleInTransaction',
        'OtelCollectorRefusingSpans',
        'OtelCollectorDroppingSpans',
        'OtelCollectorQueueNearlyFull',
        'NodejsEventLoopLagHigh',
        'ServicePodRestarting',
        'ServiceMemoryNearLimit',
        'ServiceOOMKilled',
        'ServiceDatabaseBreakerOpen',
      ]),
    );
    const uids = new Set(Object.values(mixin.dashboards).map((d) => d.uid));
    for (const alert of alerts) {
      expect(['critical', 'warning']).toContain(alert.labels.severity);
      expect(alert.labels.service).toBe(mixin.config.service);
      expect(alert.annotations.summary).toBeTruthy();
      expect(alert.annotations.description).toBeTruthy();
      expect(alert.annotations.runbook_url).toBe(`${RUNBOOK_BASE_URL}/${alert.alert}.md`);
      const dashboard = new URL(alert.annotations.dashboard);
      expect(`${dashboard.origin}`).toBe(mixin.config.grafana.url);
      expect(uids).toContain(dashboard.pathname.replace(/^\/d\//, ''));
    }
  });

  it('have a runbook for every alert, saying what it means, how to confirm it and what to do', () => {
    const alerts = new Set(rules.filter(isAlert).map((a) => a.alert));
    for (const alert of alerts) {
      const file = `${RUNBOOKS}${alert}.md`;
      expect(existsSync(file), file).toBe(true);
      const text = readFileSync(file, 'utf8');
      expect(text.startsWith(`# ${alert}\n`), alert).toBe(true);
      for (const section of ['## What it means', '## How to confirm', '## What to do']) expect(text).toContain(section);
    }
    // and no runbook of an alert that no longer exists
    const books = readdirSync(RUNBOOKS).filter((f) => f.endsWith('.md') && f !== 'README.md');
    expect(books.map((f) => f.replace(/\.md$/, '')).sort()).toEqual([...alerts].sort());
  });

  it('link dashboards and runbooks from the configured base URLs', () => {
    const custom = buildAll(
      withOverrides({
        grafana: { url: 'https://grafana.example.com/sub' },
        runbookBaseUrl: 'https://wiki.example.com/runbooks',
      }),
    );
    for (const alert of custom.alertRules.flatMap((g) => g.rules.filter(isAlert))) {
      expect(alert.annotations.runbook_url).toBe(`https://wiki.example.com/runbooks/${alert.alert}.md`);
      expect(alert.annotations.dashboard).toMatch(/^https:\/\/grafana\.example\.com\/sub\/d\/otelkit-/);
    }
    expect(dashboardUid(custom.config, 'service-overview')).toBe(dashboardUid(mixin.config, 'service-overview'));
  });

  it('refuse relative or trailing-slash base URLs', () => {
    expect(() => withOverrides({ grafana: { url: '/grafana' } })).toThrow(/grafana.url must be an absolute/);
    expect(() => withOverrides({ runbookBaseUrl: 'https://wiki.example.com/' })).toThrow(/runbookBaseUrl/);
  });

  it('burn-rate alerts read recording rules of both windows they pair', () => {
    const burn = rules.filter(isAlert).filter((a) => a.alert.endsWith('BudgetBurn'));
    expect(burn).toHaveLength(8);
    for (const alert of burn) {
      // the two windows' recordings, and the request count of the minimum-traffic guard
      const used = parsePromql(alert.expr).metrics;
      expect(used.filter((name) => recorded.has(name))).toHaveLength(2);
      expect(used.filter((name) => !recorded.has(name))).toEqual([`${METRICS.httpServerDuration}_count`]);
    }
  });

  it('record both SLIs over every window per namespace and job, and the burn-rate alerts keep both labels', () => {
    expect(SLO_AGGREGATION).toEqual(['namespace', 'job']);
    const slo = rules.filter((r) => 'record' in r && r.record.includes(':'));
    expect(slo.map((r) => ('record' in r ? r.record : '')).sort()).toEqual(
      [
        ...SLO_WINDOWS.flatMap((w) => [sloRecordName('errors', w), sloRecordName('slow', w)]),
        ...(['requests', 'errors', 'slow'] as const).map(sloRateRecordName),
      ].sort(),
    );
    for (const rule of slo) {
      const aggregations = [...rule.expr.matchAll(/\b(sum|max|min|avg|count)\b(?: by \(([^)]*)\))?/g)];
      expect(aggregations.length, rule.expr).toBeGreaterThan(0);
      for (const [, , by] of aggregations) expect(by, rule.expr).toBe('namespace, job');
    }
    // `and` matches on every label: the long and short windows (and the minimum-traffic guard) of one namespace and
    // job pair up, never across
    for (const alert of rules.filter(isAlert).filter((a) => a.alert.endsWith('BudgetBurn'))) {
      expect(alert.expr).not.toMatch(/\b(without|on|ignoring)\b/);
      for (const [, by] of alert.expr.matchAll(/\bby \(([^)]*)\)/g)) expect(by, alert.expr).toBe('namespace, job');
      expect(alert.annotations.description).toContain('{{ $labels.namespace }}');
    }
  });

  it('keep recording rules and alerts in separate groups', () => {
    for (const group of mixin.recordingRules) expect(group.rules.every((r) => !isAlert(r))).toBe(true);
    for (const group of mixin.alertRules) expect(group.rules.every(isAlert)).toBe(true);
  });
});
