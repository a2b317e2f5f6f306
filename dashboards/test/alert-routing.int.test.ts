import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chartReference, coalesce, helmValuesPath } from '@otelkit/kubernetes';
import { ALERT_INHIBIT_EQUAL, ALERT_RECEIVERS, alertmanagerConfig, CONFIG } from '@otelkit/stack';
import { toolBinary } from '@otelkit/native-runtime';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { buildAll, isAlert } from '../src/index.js';

/**
 * Every Alertmanager config the repository ships, against the generated alerts, with the pinned amtool: compose's
 * stack/config/alertmanager/alertmanager.yml, the native stack's (its own secrets folder), and the one
 * helm-values/kube-prometheus-stack.yaml makes the chart render (the values coalesced over the chart's defaults, as
 * Helm does). Each is valid, sends every alert to the receiver of its severity, and reads receiver URLs from files.
 */
const amtool = toolBinary('amtool');
const alerts = buildAll().alertRules.flatMap((g) => g.rules.filter(isAlert));
const dir = mkdtempSync(join(tmpdir(), 'otelkit-alertmanager-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const kubeConfig = (
  coalesce(
    chartReference('kubePrometheusStack').defaults,
    parse(readFileSync(helmValuesPath('kubePrometheusStack'), 'utf8')),
  ) as {
    alertmanager: { config: unknown };
  }
).alertmanager.config;
const CONFIGS: Array<[string, string]> = [
  ['compose', CONFIG.alertmanager],
  ['native stack', writeConfig('native.yml', alertmanagerConfig(join(dir, 'secrets')))],
  ['kube-prometheus-stack', writeConfig('kube-prometheus-stack.yml', kubeConfig)],
];

function writeConfig(name: string, config: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, stringify(config));
  return file;
}

interface WebhookConfig {
  url?: string;
  url_file?: string;
}

/** The receivers amtool routes an alert with these labels to. */
function routeOf(file: string, labels: Record<string, string>): string {
  const result = spawnSync(
    amtool,
    ['config', 'routes', 'test', `--config.file=${file}`, ...Object.entries(labels).map(([k, v]) => `${k}=${v}`)],
    { encoding: 'utf8' },
  );
  expect(result.status, result.stderr).toBe(0);
  return result.stdout.trim();
}

describe.each(CONFIGS)('the Alertmanager config of %s', (_, file) => {
  const config = parse(readFileSync(file, 'utf8')) as {
    inhibit_rules: Array<{ equal: string[] }>;
    receivers: Array<{ name: string; webhook_configs?: WebhookConfig[] }>;
  };

  it('passes amtool check-config', () => {
    const output = execFileSync(amtool, ['check-config', file], { encoding: 'utf8' });
    expect(output).toMatch(/SUCCESS/);
  });

  it('sends every generated alert to the receiver of its severity', () => {
    expect(alerts.length).toBeGreaterThan(0);
    const bySeverity = Object.fromEntries(Object.entries(ALERT_RECEIVERS).map(([name, r]) => [r.severity, name]));
    for (const alert of alerts) {
      expect(routeOf(file, { alertname: alert.alert, ...alert.labels }), alert.alert).toBe(
        bySeverity[alert.labels.severity],
      );
    }
  });

  it("does not drop an alert without a severity (a ticket), and drops kube-prometheus-stack's Watchdog", () => {
    expect(routeOf(file, { alertname: 'SomethingElse' })).toBe('ticket');
    expect(routeOf(file, { alertname: 'Watchdog', severity: 'none' })).toBe('null');
  });

  it('inhibits by labels that every generated alert carries', () => {
    const equal = config.inhibit_rules.flatMap((rule) => rule.equal);
    expect(equal).toEqual([...ALERT_INHIBIT_EQUAL]);
    for (const alert of alerts) for (const label of equal) expect(alert.labels, alert.alert).toHaveProperty(label);
  });

  it('reads every receiver endpoint from a file, never inline', () => {
    const webhooks = config.receivers.flatMap((r) => r.webhook_configs ?? []);
    expect(webhooks.length).toBe(Object.keys(ALERT_RECEIVERS).length);
    for (const webhook of webhooks) {
      expect(webhook.url).toBeUndefined();
      expect(webhook.url_file).toMatch(/^\/.+\/(pager|ticket)-webhook-url$/);
    }
  });
});
