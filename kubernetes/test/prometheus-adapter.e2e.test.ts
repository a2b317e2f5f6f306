// The custom metrics the demo's HPA scales on, proven against real data: two demo processes (two "pods") under k6
// load of different rates, scraped by a real Prometheus with the `namespace` and `pod` target labels that the
// demo's ServiceMonitor gives them in a cluster; each rule of helm-values/prometheus-adapter.yaml has its series
// found by its seriesQuery, its name mapped by its `matches`/`as`, and its metricsQuery, expanded as the adapter
// expands it for those pods, returns a number per pod.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { METRICS } from '@otelkit/node/names';
import { STACK } from '@otelkit/stack-topology';
import { type ManagedProcess, PostgresInstance, PrometheusInstance, waitUntil } from '@otelkit/native-runtime';
import { demo, freeStackPorts, type K6Run, runDemoCommand, runK6 } from '@otelkit/stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import {
  type AdapterRule,
  CUSTOM_METRICS,
  DEMO_NAMESPACE,
  expandAdapterQuery,
  helmValuesPath,
  K8S_FILES,
} from '../src/index.js';

const shipped = parse(readFileSync(helmValuesPath('prometheusAdapter'), 'utf8')) as {
  rules: { default: boolean; custom: AdapterRule[] };
};
const chartValues = parse(readFileSync(join(K8S_FILES.demoChart, 'values.yaml'), 'utf8'));
/** Two pods with the names a Deployment gives them, and the k6 rate each gets (requests/s). */
const PODS = [
  { name: 'otelkit-demo-7c9f8d6b5-a1b2c', rate: 20 },
  { name: 'otelkit-demo-7c9f8d6b5-d3e4f', rate: 5 },
];
/** The load outlasts the rules' 2m rate window, so the rates are over a full window of load. */
const LOAD_SECONDS = 150;
const QUERY_AFTER_MS = 128_000;

let postgres: PostgresInstance;
let prometheus: PrometheusInstance;
const demos: Array<{ process: ManagedProcess; dir: string; port: number }> = [];
let load: Promise<K6Run[]>;

beforeAll(async () => {
  postgres = await PostgresInstance.create();
  const url = postgres.ensureDatabase(STACK.postgres.user, STACK.postgres.database);
  const base = await freeStackPorts();
  runDemoCommand(base, url, ['migrate', '--seed']);
  const targets: Array<{ targets: string[]; labels: Record<string, string> }> = [];
  for (const pod of PODS) {
    const ports = await freeStackPorts();
    const dir = mkdtempSync(join(tmpdir(), 'otelkit-adapter-'));
    // no collector here: traces off, the RED histogram on /metrics is all the adapter reads
    const process = demo({ ports, dir }, url, { OTEL_TRACES_EXPORTER: 'none' });
    demos.push({ process, dir, port: ports.demo });
    await process.start();
    targets.push({
      targets: [`127.0.0.1:${ports.demoMetrics}`],
      labels: { namespace: DEMO_NAMESPACE, pod: pod.name },
    });
  }
  prometheus = await PrometheusInstance.start({
    config: JSON.stringify({
      global: { scrape_interval: '1s', evaluation_interval: '1s' },
      scrape_configs: [{ job_name: 'otelkit-demo', static_configs: targets }],
    }),
  });
  load = Promise.all(
    PODS.map((pod, i) =>
      runK6({
        scenario: 'steady',
        baseUrl: `http://127.0.0.1:${demos[i]!.port}`,
        env: { RATE: String(pod.rate), DURATION: `${LOAD_SECONDS}s` },
        testId: `adapter-${i}`,
      }),
    ),
  );
}, 180_000);

afterAll(async () => {
  await load?.catch(() => undefined);
  await prometheus?.stop();
  for (const { process, dir } of demos) {
    await process.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  await postgres?.destroy();
});

describe('prometheus-adapter rules on a real Prometheus under k6 load', () => {
  it('ships only our two rules, named as the demo chart HPA expects', () => {
    expect(shipped.rules.default).toBe(false);
    expect(shipped.rules.custom.map((r) => r.name.as)).toEqual([
      CUSTOM_METRICS.requestsPerSecond,
      CUSTOM_METRICS.p95LatencySeconds,
    ]);
    expect(chartValues.autoscaling.customMetrics).toMatchObject({
      requestsPerSecondMetric: CUSTOM_METRICS.requestsPerSecond,
      p95LatencyMetric: CUSTOM_METRICS.p95LatencySeconds,
    });
  });

  it('each rule finds the series of both pods, maps its name, and its query returns a number per pod', async () => {
    // once the 2m window is full of load (rate() over a partly filled window divides by the whole window)
    await new Promise((resolve) => setTimeout(resolve, QUERY_AFTER_MS));
    const values: Record<string, Record<string, number>> = {};
    for (const rule of shipped.rules.custom) {
      const series = await prometheus.api<Array<Record<string, string>>>('series', { 'match[]': rule.seriesQuery });
      const names = [...new Set(series.map((s) => s.__name__!))];
      expect(names).toHaveLength(1);
      const seriesName = names[0]!;
      expect(seriesName.replace(new RegExp(rule.name.matches), rule.name.as)).toBe(rule.name.as);
      expect(new Set(series.map((s) => s.pod))).toEqual(new Set(PODS.map((p) => p.name)));
      const query = expandAdapterQuery(
        rule,
        seriesName,
        DEMO_NAMESPACE,
        PODS.map((p) => p.name),
      );
      let result: Awaited<ReturnType<PrometheusInstance['query']>> = [];
      await waitUntil(
        async () => {
          result = await prometheus.query(query);
          return result.length === PODS.length;
        },
        { what: `${rule.name.as} for both pods`, timeoutMs: 20_000, intervalMs: 1_000 },
      );
      values[rule.name.as] = Object.fromEntries(result.map((r) => [r.metric.pod!, Number(r.value[1])]));
      // grouped by pod only, as the adapter maps each series to one pod object
      for (const r of result) expect(Object.keys(r.metric)).toEqual(['pod']);
    }
    process.stdout.write(`[prometheus-adapter] per pod under k6 load: ${JSON.stringify(values)}\n`);
    const rps = values[CUSTOM_METRICS.requestsPerSecond]!;
    const p95 = values[CUSTOM_METRICS.p95LatencySeconds]!;
    const [busy, quiet] = PODS;
    // k6's arrival rates, within a factor: the busier pod counts about 4 times the requests
    expect(rps[busy!.name]).toBeGreaterThan(busy!.rate * 0.5);
    expect(rps[busy!.name]).toBeLessThan(busy!.rate * 1.5);
    expect(rps[quiet!.name]).toBeGreaterThan(quiet!.rate * 0.5);
    expect(rps[busy!.name]).toBeGreaterThan(rps[quiet!.name]! * 2);
    for (const pod of PODS) {
      expect(Number.isFinite(p95[pod.name]), pod.name).toBe(true);
      expect(p95[pod.name]).toBeGreaterThan(0);
      expect(p95[pod.name]).toBeLessThanOrEqual(10);
    }
    const runs = await load;
    for (const run of runs) expect(run.summary.metrics.http_reqs?.count).toBeGreaterThan(0);
    expect(METRICS.httpServerDuration).toBe('http_server_request_duration_seconds');
  }, 240_000);

  it('an idle pod gets 0 s, not NaN (the HPA cannot use NaN)', async () => {
    await load;
    // after the load, once the whole window saw no request: shorten the window to see it now
    const rule = shipped.rules.custom.find((r) => r.name.as === CUSTOM_METRICS.p95LatencySeconds)!;
    const idle = { ...rule, metricsQuery: rule.metricsQuery.replaceAll('[2m]', '[3s]') };
    let result: Awaited<ReturnType<PrometheusInstance['query']>> = [];
    await waitUntil(
      async () => {
        result = await prometheus.query(
          expandAdapterQuery(
            idle,
            `${METRICS.httpServerDuration}_bucket`,
            DEMO_NAMESPACE,
            PODS.map((p) => p.name),
          ),
        );
        return result.length === PODS.length && result.every((r) => Number(r.value[1]) === 0);
      },
      { what: 'the idle pods to report a p95 of 0', timeoutMs: 20_000, intervalMs: 1_000 },
    );
    expect(result.map((r) => r.value[1])).toEqual(['0', '0']);
  }, 60_000);
});
