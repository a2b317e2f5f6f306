import { describe, expect, it } from 'vitest';
import {
  buildAll,
  isAlert,
  knownLabels,
  knownMetrics,
  parsePromql,
  type Rule,
  SLO_AGGREGATION,
  SLO_WINDOWS,
  sloRateRecordName,
  sloRecordName,
} from '../src/index.js';

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

  it('pair every alert with a severity, a summary, a description and a dashboard', () => {
    const alerts = rules.filter(isAlert);
    expect(new Set(alerts.map((a) => a.alert))).toEqual(
      new Set([
        'ServiceAvailabilityBudgetBurn',
        'ServiceLatencyBudgetBurn',
        'PostgresDown',
        'PostgresConnectionsNearMax',
        'OtelCollectorRefusingSpans',
        'OtelCollectorDroppingSpans',
        'OtelCollectorQueueNearlyFull',
        'ServicePodRestarting',
      ]),
    );
    for (const alert of alerts) {
      expect(['critical', 'warning']).toContain(alert.labels.severity);
      expect(alert.annotations.summary).toBeTruthy();
      expect(alert.annotations.description).toBeTruthy();
      expect(alert.annotations.dashboard).toMatch(/^\/d\//);
    }
  });

  it('burn-rate alerts read recording rules of both windows they pair', () => {
    const burn = rules.filter(isAlert).filter((a) => a.alert.endsWith('BudgetBurn'));
    expect(burn).toHaveLength(8);
    for (const alert of burn) {
      const used = parsePromql(alert.expr).metrics;
      expect(used).toHaveLength(2);
      for (const name of used) expect(recorded).toContain(name);
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
    // `and` matches on every label: the long and short windows of one namespace and job pair up, never across
    for (const alert of rules.filter(isAlert).filter((a) => a.alert.endsWith('BudgetBurn'))) {
      expect(alert.expr).not.toMatch(/\b(by|without|on|ignoring)\b/);
      expect(alert.annotations.description).toContain('{{ $labels.namespace }}');
    }
  });

  it('keep recording rules and alerts in separate groups', () => {
    for (const group of mixin.recordingRules) expect(group.rules.every((r) => !isAlert(r))).toBe(true);
    for (const group of mixin.alertRules) expect(group.rules.every(isAlert)).toBe(true);
  });
});
