import { readFileSync } from 'node:fs';
import { JOBS } from '@otelkit/stack-topology';
import { describe, expect, it } from 'vitest';
import { buildAll, dashboardQueries, defaultConfig, withOverrides } from '../src/index.js';

describe('config', () => {
  it('defaults to the reference stack', () => {
    expect(defaultConfig.jobs).toEqual({
      service: JOBS.demo,
      collector: JOBS.collector,
      postgresExporter: JOBS.postgresExporter,
    });
  });

  it('merges overrides one level deep, and the output follows them', () => {
    const config = withOverrides({
      service: 'checkout',
      jobs: { service: 'checkout-api' },
      slo: { availability: 0.995 },
      kubernetes: { ruleLabels: { team: 'checkout' } },
    });
    expect(config.jobs).toEqual({ ...defaultConfig.jobs, service: 'checkout-api' });
    expect(config.slo).toEqual({ ...defaultConfig.slo, availability: 0.995 });
    const mixin = buildAll(config);
    expect(mixin.dashboards['service-overview'].uid).toBe('otelkit-checkout-service-overview');
    const job = mixin.dashboards['service-overview'].templating?.list?.find((v) => v.name === 'job');
    expect(job?.current?.value).toBe('checkout-api');
    const alert = mixin.alertRules.flatMap((g) => g.rules).find((r) => 'alert' in r);
    expect(alert?.expr).toContain('job="checkout-api"');
    expect(alert?.expr).toContain('> 0.072'); // 14.4 * 0.005
  });

  it("keeps uids within Grafana's 40 characters for long service names", () => {
    const mixin = buildAll(withOverrides({ service: 'a-very-long-service-name-for-the-billing-team' }));
    const uids = Object.values(mixin.dashboards).map((d) => d.uid ?? '');
    for (const uid of uids) expect(uid.length).toBeLessThanOrEqual(40);
    expect(new Set(uids).size).toBe(uids.length);
  });

  it('rejects bad input with a clear error', () => {
    expect(() => withOverrides({ slo: { latencyThresholdSeconds: 0.3 } })).toThrow(/histogram bucket boundary/);
    expect(() => withOverrides({ slo: { availability: 99.9 } })).toThrow(/slo.availability must be between 0 and 1/);
    expect(() => withOverrides({ service: 'a"b' })).toThrow(/must not contain quotes/);
    expect(() => withOverrides({ nope: 1 } as never)).toThrow(/unknown config key "nope"/);
  });

  it('draws the thresholds of loadtest/ on the k6 dashboard', () => {
    const source = readFileSync(new URL('../../loadtest/lib/config.ts', import.meta.url), 'utf8');
    const { loadTest } = defaultConfig;
    expect(source).toContain(`http_req_failed: ['rate<${loadTest.failedRate}']`);
    expect(source).toContain(`checks: ['rate>${loadTest.checksRate}']`);
    expect(source).toContain(`['p(95)<${loadTest.p95Seconds * 1000}', 'p(99)<${loadTest.p99Seconds * 1000}']`);
    const k6 = JSON.stringify(buildAll().dashboards['k6-load-test']);
    expect(k6).toContain(`"value":${loadTest.p95Seconds}`);
    expect(dashboardQueries(buildAll().dashboards['k6-load-test']).length).toBeGreaterThan(5);
  });
});
