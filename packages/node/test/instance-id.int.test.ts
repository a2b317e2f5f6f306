import { type AppProcess, OtlpGrpcReceiver, startApp } from '@otelkit/testkit';
import { PrometheusInstance, scrapeConfig, waitUntil } from '@otelkit/native-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METRICS, RESOURCE_ATTRIBUTES as R, SERVICE_INSTANCE_ID_LABEL } from '../src/names.js';
import { fixture, OTLP_KIND } from './helpers.js';

/**
 * Two replicas of one service, one with the kit's downward-API pod uid and one outside Kubernetes, scraped by a real
 * Prometheus under one job: the service.instance.id of each replica's spans is the `service_instance_id` label that
 * the PromQL join documented in the README puts on its metrics.
 */
const POD_UID = '6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f';
const REQUESTS = { pod: 3, host: 2 };

let receiver: OtlpGrpcReceiver;
let prometheus: PrometheusInstance | undefined;
const apps: Record<keyof typeof REQUESTS, AppProcess | undefined> = { pod: undefined, host: undefined };

beforeAll(async () => {
  receiver = await new OtlpGrpcReceiver().start();
  const env = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_SERVICE_NAME: 'replicated' };
  apps.pod = await startApp({ script: fixture('esm-app.mjs'), env: { ...env, OTELKIT_K8S_POD_UID: POD_UID } });
  apps.host = await startApp({ script: fixture('esm-app.mjs'), env });
  for (const [name, count] of Object.entries(REQUESTS) as Array<[keyof typeof REQUESTS, number]>) {
    for (let i = 0; i < count; i++) expect((await fetch(apps[name]?.url(`/users/${i}`) ?? '')).status).toBe(200);
  }
  prometheus = await PrometheusInstance.start({
    config: scrapeConfig({ replicated: Object.values(apps).map((a) => `127.0.0.1:${a?.metricsPort}`) }),
  });
}, 60_000);

afterAll(async () => {
  await prometheus?.stop();
  for (const app of Object.values(apps)) await app?.stop();
  await receiver?.stop();
});

describe('service.instance.id', () => {
  it("is the same value in a replica's spans and, joined through target_info, in its metrics", async () => {
    const spans = await receiver.waitFor(
      (all) => all.filter((s) => s.kind === OTLP_KIND.server).length === REQUESTS.pod + REQUESTS.host,
    );
    const spanIds = new Map<string, number>();
    for (const span of spans.filter((s) => s.kind === OTLP_KIND.server)) {
      const id = String(span.resource[R.serviceInstanceId]);
      spanIds.set(id, (spanIds.get(id) ?? 0) + 1);
    }
    const hostId = [...spanIds.keys()].find((id) => id !== POD_UID) ?? '';
    expect(Object.fromEntries(spanIds)).toEqual({ [POD_UID]: REQUESTS.pod, [hostId]: REQUESTS.host });
    expect(hostId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);

    const join =
      `sum by (${SERVICE_INSTANCE_ID_LABEL}) (${METRICS.httpServerDuration}_count ` +
      `* on (job, instance) group_left (${SERVICE_INSTANCE_ID_LABEL}) ${METRICS.targetInfo})`;
    let byId: Record<string, number> = {};
    await waitUntil(
      async () => {
        const result = (await prometheus?.query(join)) ?? [];
        byId = Object.fromEntries(result.map((r) => [r.metric[SERVICE_INSTANCE_ID_LABEL] ?? '', Number(r.value[1])]));
        return result.length === 2;
      },
      { what: `both replicas in ${join}`, timeoutMs: 20_000 },
    );
    expect(byId).toEqual({ [POD_UID]: REQUESTS.pod, [hostId]: REQUESTS.host });
    // one target_info series per replica, so the join can never match twice
    expect(await prometheus?.query(`count by (job, instance) (${METRICS.targetInfo}) > 1`)).toEqual([]);
  });
});
