import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { freeStackPorts, type K6Run, NativeStack, runK6 } from '@otelkit/stack';
import { freePort, waitUntil } from '@otelkit/native-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AlertingRule,
  buildAll,
  dashboardUid,
  isAlert,
  type Mixin,
  renderFiles,
  runbookUrl,
  withOverrides,
} from '../src/index.js';

/**
 * An outage becomes a notification, and its recovery a resolution: the native stack (Postgres, postgres-exporter,
 * the collector, Prometheus 3, Alertmanager, the demo) under k6 load, with the generated rules and the shipped route
 * tree; Postgres is stopped, and a webhook receiver started here (standing in for the team's pager) must get
 * PostgresDown with its labels, summary, runbook and an absolute dashboard link, then its resolution once Postgres is
 * back.
 *
 * Test-only timing (so the test takes a minute, not the rules' real `for` and Alertmanager's real intervals): the
 * same rules with every `for` cut to FOR (`shortFor` below), and the route tree's group_wait/group_interval cut to
 * seconds (NativeStack's `alertmanager.timing`). Expressions, labels, annotations and routing are the shipped ones.
 */
const FOR = '10s';
const GRAFANA_URL = 'https://grafana.example.test';
const mixin = buildAll(withOverrides({ grafana: { url: GRAFANA_URL } }));
const RUNBOOKS = fileURLToPath(new URL('../../docs/runbooks/', import.meta.url));

/** The mixin's alerts with a short `for` (only alerts that have one), everything else as generated. */
function shortFor(source: Mixin): Mixin {
  return {
    ...source,
    alertRules: source.alertRules.map((group) => ({
      ...group,
      rules: group.rules.map((rule) => (isAlert(rule) && rule.for !== undefined ? { ...rule, for: FOR } : rule)),
    })),
  };
}

interface Notification {
  receiver: string;
  status: 'firing' | 'resolved';
  groupLabels: Record<string, string>;
  alerts: Array<{ status: string; labels: Record<string, string>; annotations: Record<string, string> }>;
}

/** The webhook receiver: every notification Alertmanager posts, with the path (receiver) it was posted to. */
const received: Array<{ path: string; body: Notification }> = [];
let webhook: Server;
let webhookUrl: string;
let stack: NativeStack;
let k6: Promise<K6Run>;

beforeAll(async () => {
  webhook = createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8').on('data', (c: string) => {
      text += c;
    });
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: JSON.parse(text) as Notification });
      res.writeHead(200).end();
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => webhook.listen(port, '127.0.0.1', resolve));
  webhookUrl = `http://127.0.0.1:${port}`;
  const ruleFiles = Object.fromEntries(
    Object.entries(renderFiles(shortFor(mixin)))
      .filter(([path]) => path.startsWith('prometheus/'))
      .map(([path, text]) => [path.replace(/^prometheus\//, ''), text]),
  );
  stack = await NativeStack.start({
    ports: await freeStackPorts(),
    ruleFiles,
    alertmanager: {
      receivers: { pager: `${webhookUrl}/pager`, ticket: `${webhookUrl}/ticket` },
      timing: { groupWait: '1s', groupInterval: '2s', repeatInterval: '1h' },
    },
  });
  // load for the whole test: requests keep failing while Postgres is down, as users' would
  k6 = runK6({
    scenario: 'smoke',
    baseUrl: stack.url(stack.ports.demo).replace(/\/$/, ''),
    env: { DURATION: '90s' },
  });
});
afterAll(async () => {
  await stack?.postgres?.start().catch(() => {});
  await k6?.catch(() => undefined);
  await stack?.stop();
  await new Promise((resolve) => webhook?.close(resolve));
});

const prometheusValue = async (query: string) => {
  const [sample] = (await stack.prometheus?.query(query)) ?? [];
  return sample === undefined ? undefined : Number(sample.value[1]);
};

/** Waits for a notification to `receiver` whose alert `alertname` has `status`, and returns it. */
async function awaitNotification(
  receiver: string,
  alertname: string,
  status: 'firing' | 'resolved',
  timeoutMs: number,
) {
  await waitUntil(() => notification(receiver, alertname, status) !== undefined, {
    what: `${alertname} (${status}) at the ${receiver} webhook`,
    timeoutMs,
    intervalMs: 500,
  });
  return notification(receiver, alertname, status) ?? { body: undefined, alert: undefined };
}

/** The first notification to `receiver` whose alert `alertname` has `status`. */
function notification(receiver: string, alertname: string, status: 'firing' | 'resolved') {
  for (const { path, body } of received) {
    const alert = body.alerts.find((a) => a.labels.alertname === alertname && a.status === status);
    if (path === `/${receiver}` && alert !== undefined) return { body, alert };
  }
  return undefined;
}

describe('an outage under load reaches the pager and resolves', () => {
  const rule = mixin.alertRules.flatMap((g) => g.rules.filter(isAlert)).find((r) => r.alert === 'PostgresDown');
  const postgresDown = rule as AlertingRule;

  it('starts healthy: Postgres scraped as up, no notification yet', async () => {
    await waitUntil(async () => (await prometheusValue(`pg_up{job="${mixin.config.jobs.postgresExporter}"}`)) === 1, {
      what: 'pg_up == 1',
      timeoutMs: 30_000,
    });
    expect(received.filter(({ body }) => body.alerts.some((a) => a.labels.service === mixin.config.service))).toEqual(
      [],
    );
  });

  it('pages with PostgresDown, its labels, summary, runbook and dashboard link, once Postgres stops', async () => {
    await stack.postgres?.stop();
    const { body, alert } = await awaitNotification('pager', 'PostgresDown', 'firing', 120_000);
    expect(body?.receiver).toBe('pager');
    // grouped by alertname, namespace and job: the stack labels postgres-exporter's target with the demo's namespace
    expect(body?.groupLabels).toEqual({
      alertname: 'PostgresDown',
      namespace: mixin.config.namespace,
      job: mixin.config.jobs.postgresExporter,
    });
    expect(alert?.labels).toMatchObject({
      alertname: 'PostgresDown',
      severity: 'critical',
      service: mixin.config.service,
      job: mixin.config.jobs.postgresExporter,
      instance: `127.0.0.1:${stack.ports.postgresExporter}`,
    });
    expect(alert?.annotations.summary).toBe(postgresDown.annotations.summary);
    expect(alert?.annotations.description).toContain(`127.0.0.1:${stack.ports.postgresExporter}`);
    // the runbook link names a runbook that exists, with what to do
    expect(alert?.annotations.runbook_url).toBe(runbookUrl(mixin.config, 'PostgresDown'));
    const book = `${RUNBOOKS}${alert?.annotations.runbook_url?.split('/').at(-1)}`;
    expect(existsSync(book), book).toBe(true);
    expect(readFileSync(book, 'utf8')).toContain('## What to do');
    // an absolute link into the configured Grafana, to the PostgreSQL dashboard
    expect(alert?.annotations.dashboard).toBe(`${GRAFANA_URL}/d/${dashboardUid(mixin.config, 'postgresql')}`);
  });

  it('pages with the availability burn too: the users see 5xx meanwhile', async () => {
    const { alert } = await awaitNotification('pager', 'ServiceAvailabilityBudgetBurn', 'firing', 60_000);
    expect(alert?.labels).toMatchObject({ severity: 'critical', service: mixin.config.service, long_window: '1h' });
    expect(alert?.annotations.dashboard).toBe(`${GRAFANA_URL}/d/${dashboardUid(mixin.config, 'service-overview')}`);
  });

  it("inhibits the service's warnings while its critical alert fires, not another service's", async () => {
    // two warnings posted to Alertmanager's API as Prometheus would: one of the service, one of another service
    const alertmanager = stack.url(stack.ports.alertmanager, '/api/v2/alerts');
    const warning = (service: string) => ({
      labels: { alertname: 'InhibitionProbe', severity: 'warning', service, job: 'probe' },
      annotations: { summary: `a warning of ${service}` },
      startsAt: new Date().toISOString(),
    });
    const posted = await fetch(alertmanager, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([warning(mixin.config.service), warning('another-service')]),
    });
    expect(posted.status).toBe(200);
    await waitUntil(
      () => received.some(({ path, body }) => path === '/ticket' && body.groupLabels.alertname === 'InhibitionProbe'),
      {
        what: "the other service's warning at the ticket webhook",
        timeoutMs: 30_000,
        intervalMs: 500,
      },
    );
    const ticketed = received
      .filter(({ path }) => path === '/ticket')
      .flatMap(({ body }) => body.alerts)
      .filter((a) => a.labels.alertname === 'InhibitionProbe')
      .map((a) => a.labels.service);
    expect(ticketed).toContain('another-service');
    expect(ticketed).not.toContain(mixin.config.service);
    const states = (await (await fetch(alertmanager)).json()) as Array<{
      labels: Record<string, string>;
      status: { state: string; inhibitedBy: string[] };
    }>;
    const probe = states.find(
      (a) => a.labels.alertname === 'InhibitionProbe' && a.labels.service === mixin.config.service,
    );
    expect(probe?.status.state).toBe('suppressed');
    expect(probe?.status.inhibitedBy.length).toBeGreaterThan(0);
  });

  it('sends the resolution once Postgres is back', async () => {
    await stack.postgres?.start();
    const { body, alert } = await awaitNotification('pager', 'PostgresDown', 'resolved', 120_000);
    expect(body?.status).toBe('resolved');
    expect(alert?.labels).toMatchObject({ alertname: 'PostgresDown', service: mixin.config.service });
    expect(await prometheusValue(`pg_up{job="${mixin.config.jobs.postgresExporter}"}`)).toBe(1);
  });
});
