import { check } from 'k6';
import http, { type RefinedParams, type RefinedResponse, type ResponseType } from 'k6/http';
import { baseUrl } from './config.ts';

/** Resolved once at init: a non-local BASE_URL aborts the run before any request. */
const BASE_URL = baseUrl();

import { newTraceContext } from './traceparent.ts';

/**
 * One function per demo route. Every request carries a fresh sampled `traceparent`; its metrics are tagged with the
 * route template (`name`), so k6 results group per route the way the demo's `http_route` label does.
 */
export interface Item {
  id: number;
  sku: string;
  name: string;
  price_cents: number;
  stock: number;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

function request(
  method: Method,
  path: string,
  route: string,
  body: unknown,
  expected: number[],
): RefinedResponse<ResponseType | undefined> {
  const { traceparent } = newTraceContext();
  const params: RefinedParams<ResponseType> = {
    headers: { traceparent, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    tags: { name: `${method} ${route}`, route },
    responseCallback: http.expectedStatuses(...expected),
  };
  const response = http.request(method, `${BASE_URL}${path}`, body === undefined ? null : JSON.stringify(body), params);
  check(response, { [`${method} ${route}: status ${expected.join('|')}`]: (r) => expected.includes(r.status) });
  return response;
}

const json = <T>(response: RefinedResponse<ResponseType | undefined>): T | undefined => {
  try {
    return response.json() as T;
  } catch {
    return undefined;
  }
};

export const demoApi = {
  listItems(limit: number, offset: number) {
    return json<{ items: Item[]; total: number }>(
      request('GET', `/items?limit=${limit}&offset=${offset}`, '/items', undefined, [200]),
    );
  },
  getItem(id: number) {
    return json<Item>(request('GET', `/items/${id}`, '/items/:id', undefined, [200, 404]));
  },
  createItem(item: Omit<Item, 'id'>) {
    return json<Item>(request('POST', '/items', '/items', item, [201, 409]));
  },
  updateItem(id: number, patch: Partial<Omit<Item, 'id'>>) {
    return request('PATCH', `/items/${id}`, '/items/:id', patch, [200, 404]);
  },
  deleteItem(id: number) {
    return request('DELETE', `/items/${id}`, '/items/:id', undefined, [204, 404]);
  },
  createOrder(lines: Array<{ item_id: number; quantity: number }>) {
    return request('POST', '/orders', '/orders', { lines }, [201, 404, 409]);
  },
  salesReport() {
    return request('GET', '/reports/sales', '/reports/sales', undefined, [200]);
  },
  reprice(skuPrefix: string, percent: number) {
    return request('POST', '/rpc/reprice', '/rpc/reprice', { sku_prefix: skuPrefix, percent }, [200]);
  },
  /** Deliberately invalid requests: the demo must answer 400/404 problem+json, never 5xx. */
  invalidCreate() {
    return request('POST', '/items', '/items', { sku: '', price_cents: -1 }, [400]);
  },
  missingItem() {
    return request('GET', '/items/999999999', '/items/:id', undefined, [404]);
  },
};
