import { type AppProcess } from '@otelkit/testkit';
import { PostgresInstance } from '@otelkit/native-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Item, ItemPage, Order, RepriceResult, SalesReport } from '../src/domain/schemas.js';
import { API_VERSION, buildOpenApi } from '../src/http/openapi.js';
import { ROUTES } from '../src/http/routes.js';
import { createDatabase, expectProblem, json, runCli, send, startDemo } from './helpers.js';

let pg: PostgresInstance;
let db: ReturnType<typeof createDatabase>;
let app: AppProcess;

beforeAll(async () => {
  pg = await PostgresInstance.create();
  db = createDatabase(pg);
  const setup = runCli(['migrate', '--seed', '--items', '300', '--orders', '2000'], { DATABASE_URL: db.url });
  expect(setup.status, setup.stderr + setup.stdout).toBe(0);
  app = await startDemo(db.url, { BODY_LIMIT: '1kb' });
});
afterAll(async () => {
  await app?.stop();
  db?.drop();
  await pg?.destroy();
});

const newItem = (n: number | string) => ({ sku: `TEST-${n}`, name: `Test item ${n}`, price_cents: 1_000, stock: 5 });

describe('items: CRUD round trips', () => {
  it('creates, reads, lists, patches, replaces and deletes an item', async () => {
    const created = await send(app, 'POST', '/items', newItem('crud'));
    const item = Item.parse(await json(created, 201));
    expect(created.headers.get('location')).toBe(`/items/${item.id}`);
    expect(item).toMatchObject(newItem('crud'));

    expect(await json(await fetch(app.url(`/items/${item.id}`)), 200)).toEqual(item);

    const patched = Item.parse(await json(await send(app, 'PATCH', `/items/${item.id}`, { stock: 7 }), 200));
    expect(patched).toMatchObject({ ...newItem('crud'), stock: 7 });
    expect(Date.parse(patched.updated_at)).toBeGreaterThanOrEqual(Date.parse(item.updated_at));

    const replacement = { sku: 'TEST-crud-2', name: 'Replaced', price_cents: 2_500, stock: 1 };
    expect(await json(await send(app, 'PUT', `/items/${item.id}`, replacement), 200)).toMatchObject(replacement);

    const deleted = await send(app, 'DELETE', `/items/${item.id}`);
    expect(deleted.status).toBe(204);
    expect(await deleted.text()).toBe('');
    await expectProblem(await fetch(app.url(`/items/${item.id}`)), 404, 'not-found');
    await expectProblem(await send(app, 'DELETE', `/items/${item.id}`), 404, 'not-found');
    await expectProblem(await send(app, 'PATCH', `/items/${item.id}`, { stock: 1 }), 404, 'not-found');
  });

  it('lists items a page at a time, with the total, filtered by sku prefix', async () => {
    const first = ItemPage.parse(await json(await fetch(app.url('/items?limit=5')), 200));
    expect(first.items.map((i) => i.id)).toEqual([1, 2, 3, 4, 5]);
    expect(first).toMatchObject({ limit: 5, offset: 0 });
    expect(first.total).toBeGreaterThanOrEqual(300);
    const second = ItemPage.parse(await json(await fetch(app.url('/items?limit=5&offset=5')), 200));
    expect(second.items.map((i) => i.id)).toEqual([6, 7, 8, 9, 10]);
    expect(second.total).toBe(first.total);

    const filtered = ItemPage.parse(await json(await fetch(app.url('/items?sku_prefix=SKU-29&limit=100')), 200));
    expect(filtered.items.map((i) => i.sku).sort()).toEqual(
      ['SKU-29', ...Array.from({ length: 10 }, (_, i) => `SKU-29${i}`)].sort(),
    );
    expect(filtered.total).toBe(11);
    const past = ItemPage.parse(await json(await fetch(app.url('/items?offset=100000')), 200));
    expect(past.items).toEqual([]);
    expect(past.total).toBe(first.total);
  });

  it('answers 409 for a duplicate sku', async () => {
    await json(await send(app, 'POST', '/items', newItem('dup')), 201);
    const problem = await expectProblem(await send(app, 'POST', '/items', newItem('dup')), 409, 'conflict');
    expect(problem.detail).toMatch(/sku already exists/);
  });
});

describe('orders', () => {
  it('places an order in one transaction: stock is decremented, the order can be read back', async () => {
    const a = Item.parse(await json(await send(app, 'POST', '/items', newItem('order-a')), 201));
    const b = Item.parse(
      await json(await send(app, 'POST', '/items', { ...newItem('order-b'), price_cents: 250 }), 201),
    );
    const response = await send(app, 'POST', '/orders', {
      lines: [
        { item_id: a.id, quantity: 2 },
        { item_id: b.id, quantity: 3 },
      ],
    });
    const order = Order.parse(await json(response, 201));
    expect(response.headers.get('location')).toBe(`/orders/${order.id}`);
    expect(order.total_cents).toBe(2 * 1_000 + 3 * 250);
    expect(order.lines).toEqual([
      { line_no: 1, item_id: a.id, sku: a.sku, quantity: 2, unit_price_cents: 1_000, amount_cents: 2_000 },
      { line_no: 2, item_id: b.id, sku: b.sku, quantity: 3, unit_price_cents: 250, amount_cents: 750 },
    ]);
    expect(await json(await fetch(app.url(`/orders/${order.id}`)), 200)).toEqual(order);
    expect((await json<Item>(await fetch(app.url(`/items/${a.id}`)), 200)).stock).toBe(3);
    expect((await json<Item>(await fetch(app.url(`/items/${b.id}`)), 200)).stock).toBe(2);

    // an ordered item is kept for the order history
    const problem = await expectProblem(await send(app, 'DELETE', `/items/${a.id}`), 409, 'conflict');
    expect(problem.detail).toMatch(/referenced by existing orders/);
  });

  it('answers 409 when stock is insufficient and changes nothing', async () => {
    const a = Item.parse(await json(await send(app, 'POST', '/items', newItem('short-a')), 201));
    const b = Item.parse(await json(await send(app, 'POST', '/items', newItem('short-b')), 201));
    const problem = await expectProblem(
      await send(app, 'POST', '/orders', {
        lines: [
          { item_id: a.id, quantity: 1 },
          { item_id: b.id, quantity: 3 },
          { item_id: b.id, quantity: 3 },
        ],
      }),
      409,
      'insufficient-stock',
    );
    expect(problem.detail).toBe(`item ${b.id}: 6 wanted, 5 in stock`);
    expect((await json<Item>(await fetch(app.url(`/items/${a.id}`)), 200)).stock).toBe(5);
  });

  it('answers 404 for an unknown item or order', async () => {
    await expectProblem(
      await send(app, 'POST', '/orders', { lines: [{ item_id: 999_999_999, quantity: 1 }] }),
      404,
      'not-found',
    );
    await expectProblem(await fetch(app.url('/orders/999999999')), 404, 'not-found');
  });
});

describe('reports and RPC', () => {
  it('aggregates the sales of a period over the seeded orders', async () => {
    const report = SalesReport.parse(await json(await fetch(app.url('/reports/sales?top=5')), 200));
    expect(report.days).toHaveLength(30);
    expect(report.days.at(-1)?.day).toBe(report.to);
    expect(report.totals.orders).toBeGreaterThan(100);
    expect(report.totals.revenue_cents).toBe(report.days.reduce((s, d) => s + d.revenue_cents, 0));
    expect(report.days.at(-1)?.cumulative_revenue_cents).toBe(report.totals.revenue_cents);
    expect(report.top_items.map((i) => i.rank)).toEqual([1, 2, 3, 4, 5]);
    const revenues = report.top_items.map((i) => i.revenue_cents);
    expect(revenues).toEqual([...revenues].sort((x, y) => y - x));

    const year = SalesReport.parse(
      await json(await fetch(app.url('/reports/sales?from=2025-01-01&to=2025-12-31')), 200),
    );
    expect(year.days).toHaveLength(365);
  });

  it('validates the period', async () => {
    await expectProblem(await fetch(app.url('/reports/sales?from=2026-02-01&to=2026-01-01')), 400, 'validation-error');
    await expectProblem(await fetch(app.url('/reports/sales?from=2000-01-01&to=2026-01-01')), 400, 'validation-error');
    await expectProblem(await fetch(app.url('/reports/sales?to=yesterday')), 400, 'validation-error');
  });

  it('reprices the items matching a prefix (dry run changes nothing)', async () => {
    for (const n of [1, 2, 3])
      await json(await send(app, 'POST', '/items', { ...newItem(`RP${n}`), sku: `RP-${n}` }), 201);
    const dry = RepriceResult.parse(
      await json(await send(app, 'POST', '/rpc/reprice', { sku_prefix: 'RP-', percent: 10, dry_run: true }), 200),
    );
    expect(dry).toEqual({ matched: 3, updated: 0, dry_run: true, old_total_cents: 3_000, new_total_cents: 3_300 });
    const real = RepriceResult.parse(
      await json(await send(app, 'POST', '/rpc/reprice', { sku_prefix: 'RP-', percent: -50 }), 200),
    );
    expect(real).toMatchObject({ matched: 3, updated: 3, new_total_cents: 1_500 });
    const page = ItemPage.parse(await json(await fetch(app.url('/items?sku_prefix=RP-')), 200));
    expect(page.items.map((i) => i.price_cents)).toEqual([500, 500, 500]);
    expect(await json(await send(app, 'POST', '/rpc/reprice', { sku_prefix: 'NONE-', percent: 5 }), 200)).toMatchObject(
      {
        matched: 0,
        updated: 0,
      },
    );
  });
});

describe('every failure is problem+json with a trace id', () => {
  it('400: invalid path, query and body, with the zod issues', async () => {
    const path = await expectProblem(await fetch(app.url('/items/abc')), 400, 'validation-error');
    expect(path.errors).toEqual([expect.objectContaining({ location: 'path', field: 'id' })]);
    const query = await expectProblem(await fetch(app.url('/items?limit=0&offset=-1')), 400, 'validation-error');
    expect(query.errors?.map((e) => `${e.location}.${e.field}`)).toEqual(['query.limit', 'query.offset']);
    const body = await expectProblem(
      await send(app, 'POST', '/items', { sku: '', price_cents: -1 }),
      400,
      'validation-error',
    );
    expect([...new Set(body.errors?.map((e) => e.field))].sort()).toEqual(['name', 'price_cents', 'sku', 'stock']);
    const unknownField = await expectProblem(
      await send(app, 'POST', '/items', { ...newItem('x'), colour: 'red' }),
      400,
      'validation-error',
    );
    expect(unknownField.errors?.[0]?.code).toBe('unrecognized_keys');
    await expectProblem(await send(app, 'PATCH', '/items/1', {}), 400, 'validation-error');
    await expectProblem(await send(app, 'POST', '/orders', { lines: [] }), 400, 'validation-error');
    // no body at all on a route that takes one
    await expectProblem(await fetch(app.url('/rpc/reprice'), { method: 'POST' }), 400, 'validation-error');
  });

  it('400: malformed JSON', async () => {
    await expectProblem(await send(app, 'POST', '/items', '{"sku": "a",'), 400, 'malformed-json');
  });

  it('413: body over BODY_LIMIT', async () => {
    const problem = await expectProblem(
      await send(app, 'POST', '/items', { ...newItem('big'), name: 'x'.repeat(2_000) }),
      413,
      'payload-too-large',
    );
    expect(problem.detail).toMatch(/1024 bytes/);
  });

  it('415: a body that is not JSON', async () => {
    await expectProblem(
      await send(app, 'POST', '/items', 'sku=a', { 'content-type': 'application/x-www-form-urlencoded' }),
      415,
      'unsupported-media-type',
    );
    await expectProblem(
      await fetch(app.url('/orders'), { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' }),
      415,
      'unsupported-media-type',
    );
  });

  it('404: unknown routes; 405: methods a route does not serve; /metrics is not on the public port', async () => {
    await expectProblem(await fetch(app.url('/nope')), 404, 'not-found');
    // a path the API serves, with a method it does not: 405 and the methods it does (found by schemathesis)
    const notAllowed = await fetch(app.url('/items'), { method: 'DELETE' });
    expect(notAllowed.headers.get('allow')).toBe('GET, HEAD, POST');
    await expectProblem(notAllowed, 405, 'method-not-allowed');
    const post = await fetch(app.url('/items/1'), { method: 'POST' });
    expect(post.headers.get('allow')).toBe('DELETE, GET, HEAD, PATCH, PUT');
    await expectProblem(post, 405, 'method-not-allowed');
    // otelkit does not trace /metrics (DEFAULT_IGNORED_PATHS): no trace id there
    await expectProblem(await fetch(app.url('/metrics')), 404, 'not-found', { traced: false });
    const metrics = await fetch(app.metricsUrl());
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('http_server_request_duration_seconds');
  });
});

describe('HTTP hygiene, docs', () => {
  it('sets helmet security headers and hides the framework', async () => {
    const response = await fetch(app.url('/items/1'));
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(response.headers.get('strict-transport-security')).toBeTruthy();
    expect(response.headers.get('x-powered-by')).toBeNull();
    expect(response.headers.get('ratelimit-policy')).toBeTruthy();
  });

  it('/version answers the build version from memory', async () => {
    expect(await json(await fetch(app.url('/version')), 200)).toEqual({ version: API_VERSION });
  });

  it('/healthz and /readyz answer 200', async () => {
    expect(await json(await fetch(app.url('/healthz')), 200)).toEqual({ status: 'ok' });
    expect(await json(await fetch(app.url('/readyz')), 200)).toEqual({ status: 'ready', database: 'ok' });
  });

  it('serves the OpenAPI document generated from the route table, and a docs page', async () => {
    const served = await json(await fetch(app.url('/openapi.json')), 200);
    expect(served).toEqual(JSON.parse(JSON.stringify(buildOpenApi(ROUTES))));
    const docs = await fetch(app.url('/docs'));
    expect(docs.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await docs.text();
    for (const route of ROUTES) expect(html).toContain(`id="op-${route.operationId}"`);
    expect(html).toContain('id="problem-not-found"');
  });
});
