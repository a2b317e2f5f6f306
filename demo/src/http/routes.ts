import { createItem, deleteItem, getItem, listItems, reprice, updateItem } from '../domain/catalogue.js';
import { createOrder, getOrder } from '../domain/orders.js';
import { reportPeriod, salesReport } from '../domain/reports.js';
import {
  ApiVersion,
  Health,
  Item,
  ItemInput,
  ItemPage,
  ItemParams,
  ItemPatch,
  ListItemsQuery,
  MAX_REPORT_DAYS,
  Order,
  OrderInput,
  OrderParams,
  Readiness,
  RepriceInput,
  RepriceResult,
  SalesReport,
  SalesReportQuery,
} from '../domain/schemas.js';
import { checkDatabase } from './health.js';
import { API_VERSION } from './openapi.js';
import { HttpProblem } from './problems.js';
import { type AnyRoute, route } from './route.js';

const location = {
  Location: { description: 'URL of the created resource.', schema: { type: 'string' } },
};

/**
 * Every route the API serves, in one table: app.ts mounts exactly these on Express and openapi.ts documents exactly
 * these, so the OpenAPI document always lists every route.
 */
export const ROUTES: readonly AnyRoute[] = [
  route({
    method: 'get',
    path: '/items',
    operationId: 'listItems',
    database: true,
    summary: 'List items, a page at a time',
    tag: 'items',
    query: ListItemsQuery,
    degraded: { key: ({ query }) => JSON.stringify([query.limit, query.offset, query.sku_prefix ?? null]) },
    success: { status: 200, description: 'A page of items, ordered by id, and the total count.', schema: ItemPage },
    handle: ({ query }, { deps }) => listItems(deps.db, query),
  }),
  route({
    method: 'post',
    path: '/items',
    operationId: 'createItem',
    database: true,
    summary: 'Create an item',
    tag: 'items',
    body: ItemInput,
    success: { status: 201, description: 'The created item.', schema: Item, headers: location },
    problems: ['conflict'],
    handle: async ({ body }, { deps, res }) => {
      const item = await createItem(deps.db, body);
      res.location(`/items/${item.id}`);
      return item;
    },
  }),
  route({
    method: 'get',
    path: '/items/:id',
    operationId: 'getItem',
    database: true,
    summary: 'Get an item',
    tag: 'items',
    params: ItemParams,
    success: { status: 200, description: 'The item.', schema: Item },
    problems: ['not-found'],
    handle: ({ params }, { deps }) => getItem(deps.db, params.id),
  }),
  route({
    method: 'put',
    path: '/items/:id',
    operationId: 'replaceItem',
    database: true,
    summary: 'Replace an item',
    tag: 'items',
    params: ItemParams,
    body: ItemInput,
    success: { status: 200, description: 'The updated item.', schema: Item },
    problems: ['not-found', 'conflict'],
    handle: ({ params, body }, { deps }) => updateItem(deps.db, params.id, body),
  }),
  route({
    method: 'patch',
    path: '/items/:id',
    operationId: 'updateItem',
    database: true,
    summary: 'Change some fields of an item',
    tag: 'items',
    params: ItemParams,
    body: ItemPatch,
    success: { status: 200, description: 'The updated item.', schema: Item },
    problems: ['not-found', 'conflict'],
    handle: ({ params, body }, { deps }) => updateItem(deps.db, params.id, body),
  }),
  route({
    method: 'delete',
    path: '/items/:id',
    operationId: 'deleteItem',
    database: true,
    summary: 'Delete an item that was never ordered',
    tag: 'items',
    params: ItemParams,
    success: { status: 204, description: 'Deleted.' },
    problems: ['not-found', 'conflict'],
    handle: ({ params }, { deps }) => deleteItem(deps.db, params.id),
  }),
  route({
    method: 'post',
    path: '/orders',
    operationId: 'createOrder',
    database: true,
    summary: 'Place an order',
    description: 'One transaction: the stock of every ordered item is checked and decremented, or nothing changes.',
    tag: 'orders',
    body: OrderInput,
    success: { status: 201, description: 'The order, at the prices of the moment.', schema: Order, headers: location },
    problems: ['not-found', 'insufficient-stock', 'conflict'],
    handle: async ({ body }, { deps, res, signal }) => {
      const order = await createOrder(deps.db, body, signal);
      res.location(`/orders/${order.id}`);
      return order;
    },
  }),
  route({
    method: 'get',
    path: '/orders/:id',
    operationId: 'getOrder',
    database: true,
    summary: 'Get an order and its lines',
    tag: 'orders',
    params: OrderParams,
    success: { status: 200, description: 'The order.', schema: Order },
    problems: ['not-found'],
    handle: ({ params }, { deps }) => getOrder(deps.db, params.id),
  }),
  route({
    method: 'get',
    path: '/reports/sales',
    operationId: 'salesReport',
    database: true,
    summary: 'Sales per day and best-selling items of a period',
    description:
      'Aggregates every order line of the period (generate_series, window functions, a ranking): the slow route. ' +
      `At most ${MAX_REPORT_DAYS} days.`,
    tag: 'reports',
    query: SalesReportQuery,
    success: { status: 200, description: 'The report.', schema: SalesReport },
    handle: ({ query }, { deps }) => {
      const period = reportPeriod(query);
      if (period.days > MAX_REPORT_DAYS) {
        throw new HttpProblem('validation-error', `the period must not exceed ${MAX_REPORT_DAYS} days`, {
          errors: [{ location: 'query', field: 'from', code: 'too_big', message: `at most ${MAX_REPORT_DAYS} days` }],
        });
      }
      return salesReport(deps.db, period, query.top);
    },
  }),
  route({
    method: 'post',
    path: '/rpc/reprice',
    operationId: 'reprice',
    database: true,
    summary: 'Change the price of every item whose sku starts with a prefix',
    description: 'An RPC-style operation: one transaction over all matching items.',
    tag: 'rpc',
    body: RepriceInput,
    success: { status: 200, description: 'How many items matched and changed.', schema: RepriceResult },
    problems: ['conflict'],
    handle: ({ body }, { deps, signal }) => reprice(deps.db, body, signal),
  }),
  route({
    method: 'get',
    path: '/version',
    operationId: 'version',
    summary: 'The version of this API build',
    description: 'Answers from memory, no I/O: the trivial route of the overhead benchmark (bench/).',
    tag: 'operations',
    success: { status: 200, description: 'The version.', schema: ApiVersion },
    handle: () => ({ version: API_VERSION }),
  }),
  route({
    method: 'get',
    path: '/healthz',
    operationId: 'healthz',
    summary: 'Liveness: the process is up',
    tag: 'operations',
    probe: true,
    success: { status: 200, description: 'Up.', schema: Health },
    handle: () => ({ status: 'ok' }),
  }),
  route({
    method: 'get',
    path: '/readyz',
    operationId: 'readyz',
    summary: 'Readiness: the database answers and the server is not shutting down',
    tag: 'operations',
    probe: true,
    success: { status: 200, description: 'Ready for traffic.', schema: Readiness },
    problems: ['database-unavailable', 'shutting-down'],
    handle: async (_input, { deps }) => {
      if (deps.state.draining) throw new HttpProblem('shutting-down', 'the server is shutting down');
      if (deps.state.starting) {
        throw new HttpProblem('database-unavailable', 'the service is starting: waiting for the database', {
          headers: { 'Retry-After': String(deps.config.RETRY_AFTER_SECONDS) },
        });
      }
      await checkDatabase(deps);
      return { status: 'ready', database: 'ok' };
    },
  }),
  route({
    method: 'get',
    path: '/openapi.json',
    operationId: 'openapi',
    summary: 'This OpenAPI 3.1 document',
    tag: 'operations',
    success: {
      status: 200,
      description: 'The OpenAPI document.',
      media: { type: 'application/json', schema: { type: 'object' } },
    },
    handle: (_input, { openapi }) => openapi().document,
  }),
  route({
    method: 'get',
    path: '/docs',
    operationId: 'docs',
    summary: 'Human-readable API documentation',
    tag: 'operations',
    success: { status: 200, description: 'An HTML page.', media: { type: 'text/html', schema: { type: 'string' } } },
    handle: (_input, { openapi }) => openapi().html,
  }),
];
