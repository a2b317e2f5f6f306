import { createLogger } from '@otelkit/node/logger';
import { Validator } from '@seriousme/openapi-schema-validator';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createApp } from '../src/http/app.js';
import { buildOpenApi, PROBLEM_MEDIA_TYPE, routeProblems } from '../src/http/openapi.js';
import { PROBLEM_TYPES } from '../src/http/problems.js';
import { openApiPath } from '../src/http/route.js';
import { ROUTES } from '../src/http/routes.js';
import { createResilience } from '../src/resilience/resilience.js';

const document = buildOpenApi(ROUTES) as any;

// The real Express app, never listening: a pool that is never used does not connect.
const config = loadConfig({ DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
const db = new pg.Pool({ connectionString: config.DATABASE_URL });
const log = createLogger({ level: 'silent' });
const { app, document: appDocument } = createApp({
  config,
  db,
  log,
  state: { starting: false, draining: false },
  ...(await createResilience(config, log)),
});
afterAll(() => db.end());

/** Every route layer of the Express router, as `METHOD /openapi/path`. */
function expressRoutes(): string[] {
  const router = (
    app as unknown as { router: { stack: Array<{ route?: { path: string; methods: Record<string, boolean> } }> } }
  ).router;
  return router.stack.flatMap((layer) =>
    layer.route
      ? Object.keys(layer.route.methods)
          // `_all`: the 405 answer of each path for the methods it does not serve (not an operation)
          .filter((m) => layer.route?.methods[m] && m !== '_all')
          .map((m) => `${m.toUpperCase()} ${openApiPath(layer.route?.path ?? '')}`)
      : [],
  );
}

const documented = () =>
  Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(([path, item]) =>
    Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
  );

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.1', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document));
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    expect(document.openapi).toBe('3.1.0');
  });

  it('documents every route the Express app serves, and nothing else', () => {
    const served = expressRoutes();
    expect(served.length).toBe(ROUTES.length);
    expect(new Set(served).size).toBe(served.length);
    expect(documented().sort()).toEqual(served.sort());
    expect(appDocument).toEqual(document);
  });

  it('has unique operation ids and the success response of each route', () => {
    const ids = ROUTES.map((r) => r.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const route of ROUTES) {
      const op = document.paths[openApiPath(route.path)][route.method];
      expect(op.operationId).toBe(route.operationId);
      expect(op.responses[route.success.status], route.operationId).toBeDefined();
    }
  });

  it('documents the problem responses of each route as application/problem+json', () => {
    for (const route of ROUTES) {
      const op = document.paths[openApiPath(route.path)][route.method];
      const statuses = new Set(routeProblems(route).map((slug) => String(PROBLEM_TYPES[slug].status)));
      for (const status of statuses) {
        expect(op.responses[status]?.content?.[PROBLEM_MEDIA_TYPE]?.schema, `${route.operationId} ${status}`).toEqual({
          $ref: '#/components/schemas/Problem',
        });
      }
      if (route.body) expect([...statuses]).toEqual(expect.arrayContaining(['400', '413', '415']));
      if (!route.probe) expect([...statuses]).toEqual(expect.arrayContaining(['429', '504']));
    }
    expect(document.components.schemas.Problem.required).toEqual(
      expect.arrayContaining(['type', 'title', 'status', 'detail', 'instance', 'trace_id']),
    );
  });

  it('describes the inputs from the zod schemas (path, query and body constraints)', () => {
    const list = document.paths['/items'].get;
    expect(list.parameters.find((p: any) => p.name === 'limit').schema).toMatchObject({
      type: 'integer',
      minimum: 1,
      maximum: 100,
      default: 20,
    });
    expect(document.paths['/items/{id}'].get.parameters[0]).toMatchObject({ in: 'path', name: 'id', required: true });
    expect(document.components.schemas.ItemInput).toMatchObject({
      type: 'object',
      required: ['sku', 'name', 'price_cents', 'stock'],
      additionalProperties: false,
    });
    // found by schemathesis: the spec must say what the validation enforces (no empty patch, no NUL in text)
    expect(document.components.schemas.ItemPatch).toMatchObject({ minProperties: 1 });
    expect(list.parameters.find((p: any) => p.name === 'sku_prefix').schema.pattern).toBe('^[^\\u0000]*$');
  });
});
