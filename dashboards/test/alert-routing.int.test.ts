import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { CONFIG } from '@otelkit/stack';
import { toolBinary } from '@otelkit/native-runtime';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildAll, isAlert } from '../src/index.js';

/**
 * The shipped Alertmanager route tree (stack/config/alertmanager/alertmanager.yml) against the generated alerts,
 * with the pinned amtool: the config is valid, every alert reaches the receiver of its severity, and the labels the
 * route tree and the inhibition rely on are on every alert.
 */
const amtool = toolBinary('amtool');
const alerts = buildAll().alertRules.flatMap((g) => g.rules.filter(isAlert));
const RECEIVER_OF_SEVERITY = { critical: 'pager', warning: 'ticket' } as const;

interface WebhookConfig {
  url?: string;
  url_file?: string;
}
const config = parse(readFileSync(CONFIG.alertmanager, 'utf8')) as {
  inhibit_rules: Array<{ equal: string[] }>;
  receivers: Array<{ name: string; webhook_configs?: WebhookConfig[] }>;
};

/** The receivers amtool routes an alert with these labels to. */
function routeOf(labels: Record<string, string>): string {
  const result = spawnSync(
    amtool,
    [
      'config',
      'routes',
      'test',
      `--config.file=${CONFIG.alertmanager}`,
      ...Object.entries(labels).map(([k, v]) => `${k}=${v}`),
    ],
    { encoding: 'utf8' },
  );
  expect(result.status, result.stderr).toBe(0);
  return result.stdout.trim();
}

describe('the Alertmanager route tree', () => {
  it('passes amtool check-config', () => {
    const output = execFileSync(amtool, ['check-config', CONFIG.alertmanager], { encoding: 'utf8' });
    expect(output).toMatch(/SUCCESS/);
  });

  it('sends every generated alert to the receiver of its severity', () => {
    expect(alerts.length).toBeGreaterThan(0);
    for (const alert of alerts) {
      expect(routeOf({ alertname: alert.alert, ...alert.labels }), alert.alert).toBe(
        RECEIVER_OF_SEVERITY[alert.labels.severity],
      );
    }
  });

  it('does not drop an alert without a severity: it opens a ticket', () => {
    expect(routeOf({ alertname: 'SomethingElse' })).toBe(RECEIVER_OF_SEVERITY.warning);
  });

  it('inhibits by labels that every generated alert carries', () => {
    const equal = config.inhibit_rules.flatMap((rule) => rule.equal);
    for (const alert of alerts) for (const label of equal) expect(alert.labels, alert.alert).toHaveProperty(label);
  });

  it('reads every receiver endpoint from a file, never inline', () => {
    const webhooks = config.receivers.flatMap((r) => r.webhook_configs ?? []);
    expect(webhooks.length).toBe(config.receivers.length);
    for (const webhook of webhooks) {
      expect(webhook.url).toBeUndefined();
      expect(webhook.url_file).toMatch(/^secrets\//);
    }
  });
});
