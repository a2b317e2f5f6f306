import http from 'node:http';
import { type AppProcess, OtlpGrpcReceiver, type ReceivedSpan, startApp } from '@otelkit/testkit';
import { PostgresInstance } from '@otelkit/native-runtime';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HTTP_LABELS, METRICS } from '../src/names.js';
import { fixture, OTLP_KIND } from './helpers.js';

/**
 * What the HTTP server instrumentation must do, whichever is selected: otelkit's own (the default) or the upstream
 * @opentelemetry/instrumentation-http (OTELKIT_HTTP_SERVER=upstream). Same fixture app, same assertions.
 */
let receiver: OtlpGrpcReceiver;
let postgres: PostgresInstance;

beforeAll(async () => {
  receiver = await new OtlpGrpcReceiver().start();
  postgres = await PostgresInstance.create();
});
afterAll(async () => {
  await receiver.stop();
  await postgres.destroy();
});

const STATUS_ERROR = 2;
const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const PARENT_ID = 'b7ad6b7169203331';

const serverSpan = (route: string) => (s: ReceivedSpan) =>
  s.kind === OTLP_KIND.server && s.attributes['http.route'] === route;

/** Descends `span` from `ancestor` through the parent links of `spans`? */
function descendsFrom(span: ReceivedSpan, ancestor: ReceivedSpan, spans: ReceivedSpan[]): boolean {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  for (let current = byId.get(span.parentSpanId); current; current = byId.get(current.parentSpanId)) {
    if (current.spanId === ancestor.spanId) return true;
  }
  return false;
}

/** The RED histogram's `_count` for one route and status, from the OpenMetrics exposition. */
async function requestCount(app: AppProcess, route: string, status: number): Promise<number> {
  const body = await (await fetch(app.metricsUrl())).text();
  const line = body
    .split('\n')
    .find(
      (l) =>
        l.startsWith(`${METRICS.httpServerDuration}_count{`) &&
        l.includes(`${HTTP_LABELS.route}="${route}"`) &&
        l.includes(`${HTTP_LABELS.statusCode}="${status}"`),
    );
  return line === undefined ? 0 : Number(line.split(' ').at(-1));
}

describe.each(['otelkit', 'upstream'] as const)('HTTP server instrumentation: %s', (httpServer) => {
  let app: AppProcess;
  beforeAll(async () => {
    app = await startApp({
      script: fixture('esm-app.mjs'),
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
        DATABASE_URL: postgres.url(),
        OTELKIT_HTTP_SERVER: httpServer,
        OTEL_BSP_SCHEDULE_DELAY: '200',
      },
    });
  });
  afterAll(async () => {
    await app?.stop();
  });
  afterEach(() => {
    receiver.spans.length = 0;
  });

  it.each(['/db-echo', '/db-echo-raw'])(
    'keeps pg spans under the request span of a POST whose JSON body arrives after the headers (%s)',
    async (route) => {
      // the body's events then come from later socket reads, outside the request's own call stack; /db-echo parses
      // it with express.json(), /db-echo-raw by hand from the request's `data` and `end` events
      expect(await postInTwoParts(app.url(route), '{"value":', '21}')).toEqual({ doubled: 42 });
      const spans = await receiver.waitFor((all) => all.some(serverSpan(route)) && all.some(isPgQuery));
      const server = spans.find(serverSpan(route)) as ReceivedSpan;
      expect(server.name).toBe(`POST ${route}`);
      expect(server.attributes['http.response.status_code']).toBe(201);
      const query = spans.find(isPgQuery) as ReceivedSpan;
      expect(query.traceId).toBe(server.traceId);
      expect(descendsFrom(query, server, spans)).toBe(true);
    },
  );

  it('covers a streamed response to its end, with its query in the same trace', async () => {
    const body = await (await fetch(app.url('/stream?chunks=5'))).text();
    expect(body).toContain('done');
    const spans = await receiver.waitFor((all) => all.some(serverSpan('/stream')) && all.some(isPgQuery));
    const server = spans.find(serverSpan('/stream')) as ReceivedSpan;
    expect(server.durationMillis).toBeGreaterThanOrEqual(5 * 40 - 10);
    expect(descendsFrom(spans.find(isPgQuery) as ReceivedSpan, server, spans)).toBe(true);
    expect(await requestCount(app, '/stream', 200)).toBe(1);
  });

  it('ends the span and counts the request when the client aborts', async () => {
    await abortAfterFirstChunk(app.url('/stream?chunks=20'));
    const spans = await receiver.waitFor((all) => all.some(serverSpan('/stream')));
    const server = spans.find(serverSpan('/stream')) as ReceivedSpan;
    expect(server.durationMillis).toBeLessThan(20 * 40);
    await expect.poll(() => requestCount(app, '/stream', 200)).toBe(2);
  });

  it('continues traceparent and tracestate from the caller and propagates them on fetch', async () => {
    const tracestate = 'vendor=opaque,other=1';
    const echoed = (await (
      await fetch(app.url('/fetch-headers'), {
        headers: { traceparent: `00-${TRACE_ID}-${PARENT_ID}-01`, tracestate },
      })
    ).json()) as { traceparent: string; tracestate: string };
    const spans = await receiver.waitFor(
      (all) => all.some(serverSpan('/fetch-headers')) && all.some(serverSpan('/headers')),
    );
    const caller = spans.find(serverSpan('/fetch-headers')) as ReceivedSpan;
    expect(caller.traceId).toBe(TRACE_ID);
    expect(caller.parentSpanId).toBe(PARENT_ID);
    expect(caller.traceState).toBe(tracestate);
    // the outgoing request carries the same trace, a new parent id (the client span) and the caller's tracestate
    const [version, traceId, parentId, flags] = echoed.traceparent.split('-');
    expect([version, traceId, flags]).toEqual(['00', TRACE_ID, '01']);
    expect(parentId).not.toBe(PARENT_ID);
    expect(echoed.tracestate).toBe(tracestate);
    const callee = spans.find(serverSpan('/headers')) as ReceivedSpan;
    expect(callee.traceId).toBe(TRACE_ID);
    expect(descendsFrom(callee, caller, spans)).toBe(true);
  });

  it('propagates an unsampled decision too, and starts a new trace on an invalid traceparent', async () => {
    const unsampled = (await (
      await fetch(app.url('/fetch-headers'), { headers: { traceparent: `00-${TRACE_ID}-${PARENT_ID}-00` } })
    ).json()) as { traceparent: string };
    expect(unsampled.traceparent).toMatch(new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-00$`));
    for (const invalid of [`00-${'0'.repeat(32)}-${PARENT_ID}-01`, 'garbage', `ff-${TRACE_ID}-${PARENT_ID}-01`]) {
      receiver.spans.length = 0;
      await fetch(app.url('/users/4'), { headers: { traceparent: invalid } });
      const spans = await receiver.waitFor((all) => all.some(serverSpan('/users/:id')));
      const server = spans.find(serverSpan('/users/:id')) as ReceivedSpan;
      expect(server.parentSpanId).toBe('');
      expect(server.traceId).not.toBe(TRACE_ID);
    }
    // nothing of the unsampled trace was exported
    expect(receiver.spans.some((s) => s.traceId === TRACE_ID)).toBe(false);
  });

  it('propagates on http.request: the callee continues the trace', async () => {
    await fetch(app.url('/http-request'));
    const spans = await receiver.waitFor(
      (all) => all.some(serverSpan('/http-request')) && all.some(serverSpan('/users/:id')),
    );
    const caller = spans.find(serverSpan('/http-request')) as ReceivedSpan;
    const callee = spans.find(serverSpan('/users/:id')) as ReceivedSpan;
    expect(callee.traceId).toBe(caller.traceId);
    const client = spans.find((s) => s.kind === OTLP_KIND.client && s.traceId === caller.traceId);
    expect(client?.parentSpanId).toBe(caller.spanId);
    expect(callee.parentSpanId).toBe(client?.spanId);
  });

  it('sets the error status for 5xx answers and thrown errors, not for 4xx', async () => {
    await fetch(app.url('/unavailable'));
    await fetch(app.url('/error'));
    await fetch(app.url('/nope'));
    const spans = await receiver.waitFor(
      (all) =>
        all.some(serverSpan('/unavailable')) && all.some(serverSpan('/error')) && all.filter(isServer).length >= 3,
    );
    expect(spans.find(serverSpan('/unavailable'))?.statusCode).toBe(STATUS_ERROR);
    const thrown = spans.find(serverSpan('/error'));
    expect(thrown?.statusCode).toBe(STATUS_ERROR);
    expect(thrown?.attributes['http.response.status_code']).toBe(500);
    expect(thrown?.attributes['error.type']).toBe('500');
    const notFound = spans.find((s) => isServer(s) && s.attributes['http.response.status_code'] === 404);
    expect(notFound?.statusCode).toBe(0);
    expect(notFound?.name).toBe('GET');
  });

  it('names the route of an error raised in a nested router, in the span and in the RED histogram', async () => {
    expect((await fetch(app.url('/api/fail/x'))).status).toBe(500);
    const spans = await receiver.waitFor((all) => all.some(serverSpan('/api/fail/:kind')));
    expect(spans.find(serverSpan('/api/fail/:kind'))?.name).toBe('GET /api/fail/:kind');
    expect(await requestCount(app, '/api/fail/:kind', 500)).toBe(1);
  });

  it('observes the RED histogram for every request, with an exemplar only for sampled ones', async () => {
    const sampledId = '1'.repeat(32);
    const unsampledId = '2'.repeat(32);
    await fetch(app.url('/api/items/1'), { headers: { traceparent: `00-${unsampledId}-${PARENT_ID}-00` } });
    await fetch(app.url('/api/items/2'), { headers: { traceparent: `00-${sampledId}-${PARENT_ID}-01` } });
    expect(await requestCount(app, '/api/items/:itemId', 200)).toBe(2);
    const body = await (
      await fetch(app.metricsUrl(), { headers: { accept: 'application/openmetrics-text;version=1.0.0' } })
    ).text();
    expect(body).toContain(`trace_id="${sampledId}"`);
    expect(body).not.toContain(unsampledId);
  });

  it('writes the semantic-convention request attributes on sampled spans', async () => {
    await fetch(app.url('/users/6?token=secret'), { headers: { 'user-agent': 'otelkit-test/1' } });
    const spans = await receiver.waitFor((all) => all.some(serverSpan('/users/:id')));
    expect(spans.find(serverSpan('/users/:id'))?.attributes).toMatchObject({
      'http.request.method': 'GET',
      'url.scheme': 'http',
      'url.path': '/users/6',
      'server.address': '127.0.0.1',
      'server.port': Number(new URL(app.url('/')).port),
      'network.peer.address': '127.0.0.1',
      'network.protocol.version': '1.1',
      'user_agent.original': 'otelkit-test/1',
      'client.address': '127.0.0.1',
      'http.response.status_code': 200,
      'http.route': '/users/:id',
    });
  });
});

function isServer(s: ReceivedSpan): boolean {
  return s.kind === OTLP_KIND.server;
}

function isPgQuery(s: ReceivedSpan): boolean {
  return s.scope === '@opentelemetry/instrumentation-pg' && String(s.attributes['db.query.text']).includes('SELECT');
}

/** POSTs a JSON body in two writes 100 ms apart (chunked), and returns the parsed answer. */
function postInTwoParts(url: string, first: string, second: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method: 'POST', headers: { 'content-type': 'application/json' } },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve(JSON.parse(body)));
      },
    );
    request.on('error', reject);
    request.flushHeaders();
    request.write(first);
    setTimeout(() => request.end(second), 100);
  });
}

/** GETs `url`, reads the first chunk of the body, then destroys the connection. */
function abortAfterFirstChunk(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, (response) => {
      response.once('data', () => {
        request.destroy();
        resolve();
      });
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ECONNRESET') reject(error);
    });
  });
}
