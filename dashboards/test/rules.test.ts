import { describe, expect, it } from 'vitest';
import { buildAll, isAlert, knownLabels, knownMetrics, parsePromql, type Rule } from '../src/index.js';

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
        'ServiceDatabaseBreakerOpen',
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

  it('keep recording rules and alerts in separate groups', () => {
    for (const group of mixin.recordingRules) expect(group.rules.every((r) => !isAlert(r))).toBe(true);
    for (const group of mixin.alertRules) expect(group.rules.every(isAlert)).toBe(true);
  });
});
