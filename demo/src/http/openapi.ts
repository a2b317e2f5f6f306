import { createRequire } from 'node:module';
import { DEMO_NAMES, STACK } from '@otelkit/stack-topology';
import type { z } from 'zod';
import {
  createDocument,
  type ZodOpenApiOperationObject,
  type ZodOpenApiParameters,
  type ZodOpenApiPathsObject,
  type ZodOpenApiResponseObject,
  type ZodOpenApiResponsesObject,
} from 'zod-openapi';
import { PROBLEM_TYPES, Problem, type ProblemSlug } from './problems.js';
import { type AnyRoute, openApiPath } from './route.js';

/** The version of this API build (the demo's package.json): the OpenAPI document's and GET /version's. */
export const { version: API_VERSION } = createRequire(import.meta.url)('../../package.json') as { version: string };

export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

/** The failures a route can answer with: its own plus those every route of its kind shares. */
export function routeProblems(route: AnyRoute): ProblemSlug[] {
  const slugs = new Set<ProblemSlug>(route.problems ?? []);
  if (route.params || route.query || route.body) slugs.add('validation-error');
  if (route.body) {
    slugs.add('malformed-json');
    slugs.add('payload-too-large');
    slugs.add('unsupported-media-type');
  }
  if (!route.probe) {
    slugs.add('rate-limited');
    slugs.add('timeout');
    if (!route.success.media) slugs.add('database-unavailable');
  }
  slugs.add('internal');
  return [...slugs].sort((a, b) => PROBLEM_TYPES[a].status - PROBLEM_TYPES[b].status);
}

/** Headers of a response served degraded (routes with `degraded`). */
const DEGRADED_HEADERS: Record<string, { description: string; schema: Record<string, unknown> }> = {
  [DEMO_NAMES.degradedHeader]: {
    description:
      'Present when the database failed and this answer was served degraded: `cache`, the last good answer of the same request.',
    schema: { type: 'string', enum: ['cache'] },
  },
  Age: {
    description: 'With the degraded header: the age of the cached answer in seconds.',
    schema: { type: 'integer' },
  },
};

const RETRY_AFTER = { description: 'Seconds to wait before retrying.', schema: { type: 'integer' } } as const;

function responses(route: AnyRoute): ZodOpenApiResponsesObject {
  const { success } = route;
  const out: Record<string, ZodOpenApiResponseObject> = {
    [success.status]: {
      description: success.description,
      ...(success.headers || route.degraded
        ? { headers: { ...success.headers, ...(route.degraded ? DEGRADED_HEADERS : {}) } }
        : {}),
      ...(success.schema
        ? { content: { 'application/json': { schema: success.schema } } }
        : success.media
          ? { content: { [success.media.type]: { schema: success.media.schema } } }
          : {}),
    },
  };
  const byStatus = new Map<number, ProblemSlug[]>();
  for (const slug of routeProblems(route)) {
    const status = PROBLEM_TYPES[slug].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), slug]);
  }
  for (const [status, slugs] of byStatus) {
    out[status] = {
      description: slugs.map((s) => `${PROBLEM_TYPES[s].title} (${s})`).join('; '),
      ...(status === 429 || status === 503 ? { headers: { 'Retry-After': RETRY_AFTER } } : {}),
      content: { [PROBLEM_MEDIA_TYPE]: { schema: Problem } },
    };
  }
  return out as ZodOpenApiResponsesObject;
}

function operation(route: AnyRoute): ZodOpenApiOperationObject {
  const requestParams: ZodOpenApiParameters = {};
  if (route.params) requestParams.path = route.params as unknown as NonNullable<ZodOpenApiParameters['path']>;
  if (route.query) requestParams.query = route.query as unknown as NonNullable<ZodOpenApiParameters['query']>;
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    tags: [route.tag],
    ...(route.params || route.query ? { requestParams } : {}),
    ...(route.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: route.body as z.ZodType } } } }
      : {}),
    responses: responses(route),
  };
}

/** The OpenAPI 3.1 document of `routes`, generated from their zod schemas. */
export function buildOpenApi(routes: readonly AnyRoute[]): ReturnType<typeof createDocument> {
  const paths: ZodOpenApiPathsObject = {};
  for (const route of routes) {
    const path = openApiPath(route.path);
    paths[path] = { ...paths[path], [route.method]: operation(route) };
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: `${STACK.demo.service} API`,
      version: API_VERSION,
      description:
        'The otelkit demo: a small catalogue and order API on PostgreSQL, instrumented only through @otelkit/node. ' +
        'Every failure is an RFC 7807 `application/problem+json` response carrying the trace id of the request.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    tags: [
      { name: 'items', description: 'The catalogue.' },
      { name: 'orders', description: 'Orders, placed in one transaction each.' },
      { name: 'reports', description: 'Aggregations over the orders.' },
      { name: 'rpc', description: 'Operations that are not resource updates.' },
      { name: 'operations', description: 'Health probes and this documentation.' },
    ],
    paths,
  });
}
