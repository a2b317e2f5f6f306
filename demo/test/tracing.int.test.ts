import { STACK } from '@otelkit/stack-topology';
import { type AppProcess, OtlpGrpcReceiver, type ReceivedSpan } from '@otelkit/testkit';
import { PostgresInstance } from '@otelkit/native-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, expectProblem, json, runCli, send, startDemo } from './helpers.js';

/** SpanKind values as sent over OTLP. */
const KIND = { server: 2, client: 3 } as const;

let postgres: PostgresInstance;
let db: ReturnType<typeof createDatabase>;
let receiver: OtlpGrpcReceiver;
let app: AppProcess;

beforeAll(async () => {
  postgres = await PostgresInstance.create();
  db = createDatabase(postgres);
  const setup = runCli(['migrate', '--seed', '--items', '20', '--orders', '50'], { DATABASE_URL: db.url });
  expect(setup.status, setup.stderr).toBe(0);
  receiver = await new OtlpGrpcReceiver().start();
  // The demo has no tracing code of its own: everything below comes from `--import @otelkit/node/register`.
  app = await startDemo(db.url, {
    OTEL_TRACES_EXPORTER: 'otlp',
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
    OTEL_BSP_SCHEDULE_DELAY: '100',
  });
});
afterAll(async () => {
  await app?.stop();
  await receiver?.stop();
  db?.drop();
  await postgres?.destroy();
});

const isPg = (s: ReceivedSpan) => s.scope.includes('instrumentation-pg');

/** Every span of a trace, once its server span and at least `pgSpans` pg spans have arrived. */
async function traceOf(traceId: string, pgSpans = 1): Promise<ReceivedSpan[]> {
  const spans = await receiver.waitFor((all) => {
    const trace = all.filter((s) => s.traceId === traceId);
    return trace.some((s) => s.kind === KIND.server) && trace.filter(isPg).length >= pgSpans;
  });
  return spans.filter((s) => s.traceId === traceId);
}

/** True when `span` descends from `ancestor` through parent links within `trace`. */
function descendsFrom(span: ReceivedSpan, ancestor: ReceivedSpan, trace: ReceivedSpan[]): boolean {
  const byId = new Map(trace.map((s) => [s.spanId, s]));
  for (let parent = byId.get(span.parentSpanId); parent !== undefined; parent = byId.get(parent.parentSpanId)) {
    if (parent.spanId === ancestor.spanId) return true;
  }
  return false;
}

describe('instrumented only through @otelkit/node', () => {
  it('a DB route yields a server span with pg client spans under it, in one trace', async () => {
    const traceId = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
    const response = await fetch(app.url('/items/3'), {
      headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
    });
    await json(response, 200);
    const trace = await traceOf(traceId);
    const server = trace.find((s) => s.kind === KIND.server);
    expect(server?.name).toBe('GET /items/:id');
    expect(server?.parentSpanId).toBe('00f067aa0ba902b7'); // continues the caller's trace
    expect(server?.resource['service.name']).toBe(STACK.demo.service);
    const pgSpans = trace.filter(isPg);
    expect(pgSpans.length).toBeGreaterThan(0);
    for (const span of pgSpans) {
      expect(span.kind).toBe(KIND.client);
      expect(descendsFrom(span, server as ReceivedSpan, trace)).toBe(true);
    }
    const query = pgSpans.find((s) =>
      String(s.attributes['db.query.text'] ?? s.attributes['db.statement']).includes('FROM items'),
    );
    expect(query, JSON.stringify(pgSpans.map((s) => s.attributes))).toBeDefined();
    // parameterised SQL: the span carries the statement with placeholders, never the values
    expect(String(query?.attributes['db.query.text'] ?? query?.attributes['db.statement'])).toContain('$1');
    // the express instrumentation names the server span (above) but adds no span of its own by default
    expect(trace.filter((s) => s.scope.includes('instrumentation-express'))).toEqual([]);
  });

  it('an order places its transaction spans in the request trace', async () => {
    await json(await send(app, 'POST', '/orders', { lines: [{ item_id: 4, quantity: 1 }] }), 201);
    const spans = await receiver.waitFor((all) => all.some((s) => s.name === 'POST /orders' && s.kind === KIND.server));
    const server = spans.find((s) => s.name === 'POST /orders') as ReceivedSpan;
    const trace = await traceOf(server.traceId, 6);
    const statements = trace
      .filter(isPg)
      .map((s) => String(s.attributes['db.query.text'] ?? s.attributes['db.statement'] ?? s.name));
    for (const expected of [
      'BEGIN',
      'FOR UPDATE',
      'UPDATE items',
      'INSERT INTO orders',
      'INSERT INTO order_lines',
      'COMMIT',
    ]) {
      expect(
        statements.some((t) => t.includes(expected)),
        `${expected} in ${statements.join(' | ')}`,
      ).toBe(true);
    }
  });

  it('the trace_id of a problem response is the trace of that request', async () => {
    const problem = await expectProblem(await fetch(app.url('/items/999999')), 404, 'not-found');
    const trace = await traceOf(problem.trace_id as string);
    expect(trace.find((s) => s.kind === KIND.server)?.name).toBe('GET /items/:id');
  });
});
