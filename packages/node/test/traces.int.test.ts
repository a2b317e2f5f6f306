import { type AppProcess, OtlpGrpcReceiver, startApp } from '@otelkit/testkit';
import { PostgresInstance } from '@otelkit/native-runtime';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fixture, OTLP_KIND } from './helpers.js';

let receiver: OtlpGrpcReceiver;
let postgres: PostgresInstance;
let app: AppProcess | undefined;

beforeAll(async () => {
  receiver = await new OtlpGrpcReceiver().start();
  postgres = await PostgresInstance.create();
});
afterEach(async () => {
  await app?.stop();
  app = undefined;
  receiver.spans.length = 0;
});
afterAll(async () => {
  await receiver.stop();
  await postgres.destroy();
});

const k8sEnv = {
  OTELKIT_K8S_POD_NAME: 'shop-api-6d8f9c-x2k4p',
  OTELKIT_K8S_NAMESPACE_NAME: 'shop',
  OTELKIT_K8S_POD_UID: '0b7c6f1e-2a3d-4c5b-9e8f-7a6b5c4d3e2f',
  OTELKIT_K8S_POD_IP: '10.42.0.17',
  OTELKIT_K8S_NODE_NAME: 'node-a',
};

const serverSpan = (route: string) => (s: { kind: number; attributes: Record<string, unknown> }) =>
  s.kind === OTLP_KIND.server && s.attributes['http.route'] === route;

describe('traces over OTLP gRPC', () => {
  it('instruments an ESM Express app loaded after --import: route-named server span (nested router), no express span by default, k8s resource', async () => {
    app = await startApp({
      script: fixture('esm-app.mjs'),
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, ...k8sEnv },
    });
    expect((await fetch(app.url('/api/items/9'))).status).toBe(200);
    const spans = await receiver.waitFor((all) => all.some(serverSpan('/api/items/:itemId')));
    const server = spans.find(serverSpan('/api/items/:itemId'));
    expect(server?.name).toBe('GET /api/items/:itemId');
    expect(server?.attributes['http.response.status_code']).toBe(200);
    expect(server?.parentSpanId).toBe('');
    expect(spans.filter((s) => s.scope === '@opentelemetry/instrumentation-express')).toEqual([]);
    expect(server?.resource).toMatchObject({
      'service.name': 'fixture',
      'k8s.pod.name': k8sEnv.OTELKIT_K8S_POD_NAME,
      'k8s.namespace.name': k8sEnv.OTELKIT_K8S_NAMESPACE_NAME,
      'k8s.pod.uid': k8sEnv.OTELKIT_K8S_POD_UID,
      'k8s.pod.ip': k8sEnv.OTELKIT_K8S_POD_IP,
      'k8s.node.name': k8sEnv.OTELKIT_K8S_NODE_NAME,
      'service.instance.id': k8sEnv.OTELKIT_K8S_POD_UID,
    });
    expect(app.stderr).toBe('');
  });

  it('instruments a CommonJS Express app the same way, with request-handler spans when OTELKIT_EXPRESS_LAYER_SPANS=true', async () => {
    app = await startApp({
      script: fixture('cjs-app.cjs'),
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTELKIT_EXPRESS_LAYER_SPANS: 'true' },
    });
    await fetch(app.url('/users/3'));
    const spans = await receiver.waitFor((all) => all.some(serverSpan('/users/:id')));
    const server = spans.find(serverSpan('/users/:id'));
    expect(server?.name).toBe('GET /users/:id');
    expect(
      spans.some((s) => s.parentSpanId === server?.spanId && s.attributes['express.type'] === 'request_handler'),
    ).toBe(true);
  });

  it('needs the ESM loader hook for Express in an ES module app: without it no Express layer span (OTELKIT_ESM_HOOK=false), the route still names the span', async () => {
    app = await startApp({
      script: fixture('esm-app.mjs'),
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
        OTELKIT_ESM_HOOK: 'false',
        OTELKIT_EXPRESS_LAYER_SPANS: 'true',
      },
    });
    await fetch(app.url('/users/3'));
    const spans = await receiver.waitFor((all) => all.some((s) => s.kind === OTLP_KIND.server));
    const server = spans.find((s) => s.kind === OTLP_KIND.server);
    // the HTTP server instrumentation needs no hook (core modules); the route comes from Express's req.route
    expect(server?.name).toBe('GET /users/:id');
    expect(server?.attributes['http.route']).toBe('/users/:id');
    expect(spans.filter((s) => s.scope === '@opentelemetry/instrumentation-express')).toEqual([]);
  });

  it('keeps pg spans children of the request span, and fetch (undici) spans too', async () => {
    app = await startApp({
      script: fixture('esm-app.mjs'),
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, DATABASE_URL: postgres.url() },
    });
    expect(await (await fetch(app.url('/db'))).json()).toEqual({ answer: 42 });
    await fetch(app.url('/fetch'));
    const spans = await receiver.waitFor(
      (all) => all.some(serverSpan('/db')) && all.some((s) => s.scope.includes('undici')),
    );
    const server = spans.find(serverSpan('/db'));
    const pgSpans = spans.filter((s) => s.scope === '@opentelemetry/instrumentation-pg');
    expect(pgSpans.length).toBeGreaterThan(0);
    const ids = new Map(spans.map((s) => [s.spanId, s]));
    for (const pgSpan of pgSpans) {
      expect(pgSpan.traceId).toBe(server?.traceId);
      // walk up to the root: it must be the request's server span
      let current = pgSpan;
      while (current.parentSpanId && ids.has(current.parentSpanId)) current = ids.get(current.parentSpanId) ?? current;
      expect(current.spanId).toBe(server?.spanId);
    }
    const query = pgSpans.find((s) =>
      String(s.attributes['db.query.text'] ?? s.attributes['db.statement']).includes('SELECT'),
    );
    expect(query).toBeDefined();
    const fetchServer = spans.find(serverSpan('/fetch'));
    const undici = spans.find((s) => s.scope.includes('undici'));
    expect(undici?.traceId).toBe(fetchServer?.traceId);
  });

  it('never traces health, readiness and metrics routes', async () => {
    app = await startApp({ script: fixture('esm-app.mjs'), env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint } });
    for (let i = 0; i < 5; i++) await fetch(app.url('/healthz'));
    await fetch(app.metricsUrl());
    await fetch(app.url('/users/1'));
    const spans = await receiver.waitFor((all) => all.some(serverSpan('/users/:id')));
    expect(spans.filter((s) => s.kind === OTLP_KIND.server).map((s) => s.name)).toEqual(['GET /users/:id']);
  });

  it('samples with the parent-based ratio from OTEL_TRACES_SAMPLER(_ARG)', async () => {
    app = await startApp({
      script: fixture('esm-app.mjs'),
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0',
      },
    });
    // A sampled parent is honoured even with ratio 0...
    const traceId = 'f'.repeat(32);
    await fetch(app.url('/users/2'), { headers: { traceparent: `00-${traceId}-${'a'.repeat(16)}-01` } });
    // ...and roots are not sampled.
    await fetch(app.url('/users/3'));
    const spans = await receiver.waitFor((all) => all.some((s) => s.traceId === traceId));
    await new Promise((r) => setTimeout(r, 1500));
    expect(new Set(receiver.spans.map((s) => s.traceId))).toEqual(new Set([traceId]));
    expect(spans.find(serverSpan('/users/:id'))?.parentSpanId).toBe('a'.repeat(16));
  });

  it('correlates log lines with the active trace and, with OTELKIT_REQUEST_LOG=true, writes one line per request', async () => {
    app = await startApp({
      script: fixture('esm-app.mjs'),
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTELKIT_REQUEST_LOG: 'true' },
    });
    await fetch(app.url('/users/42'));
    const spans = await receiver.waitFor((all) => all.some(serverSpan('/users/:id')));
    const server = spans.find(serverSpan('/users/:id'));
    const fetching = await app.waitForLog((l) => l.msg === 'fetching user');
    expect(fetching).toMatchObject({ trace_id: server?.traceId, trace_flags: '01', user: '42', level: 'info' });
    expect(fetching?.raw.match(/"trace_id"/g)).toHaveLength(1);
    const ownPino = await app.waitForLog((l) => l.msg === 'own pino line');
    expect(ownPino?.trace_id).toBe(server?.traceId);
    const request = await app.waitForLog((l) => l.msg === 'request completed');
    expect(request).toMatchObject({
      trace_id: server?.traceId,
      span_id: server?.spanId,
      method: 'GET',
      route: '/users/:id',
      status: 200,
    });
    expect(typeof request?.duration_ms).toBe('number');
  });

  it('starts programmatically with typed options, and a second start() only warns', async () => {
    app = await startApp({
      script: fixture('programmatic-app.mjs'),
      nodeArgs: [],
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint },
    });
    await fetch(app.url('/users/5'));
    const spans = await receiver.waitFor((all) => all.some(serverSpan('/users/:id')));
    expect(spans.find(serverSpan('/users/:id'))?.resource['service.name']).toBe('programmatic-fixture');
    expect(app.stderr).toMatch(/OtelkitWarning: otelkit: start\(\) was called again/);
  });
});
