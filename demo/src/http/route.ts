import type { Request, Response } from 'express';
import type pg from 'pg';
import type { Logger } from '../log.js';
import type { z } from 'zod';
import type { DemoConfig } from '../config.js';
import type { DatabaseBreaker } from '../resilience/breaker.js';
import type { DegradedCache } from '../resilience/degraded-cache.js';
import type { ResilienceMetrics } from '../resilience/metrics.js';
import type { ProblemSlug } from './problems.js';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** What every handler can use. */
export interface AppDeps {
  config: DemoConfig;
  db: pg.Pool;
  log: Logger;
  /**
   * `starting`: the database has not answered yet (start-up), so readiness fails and data routes answer 503;
   * `draining`: the server is shutting down (SIGTERM), so readiness fails.
   */
  state: { starting: boolean; draining: boolean };
  /** The circuit breaker every `database` route runs through. */
  breaker: DatabaseBreaker;
  /** The last good answers of the `degraded` routes. */
  degradedCache: DegradedCache;
  metrics: ResilienceMetrics;
}

export interface HandlerContext {
  deps: AppDeps;
  req: Request;
  res: Response;
  /** Aborted when the request timed out (its 504 is already sent). */
  signal: AbortSignal;
  /** The OpenAPI document and the docs page (for the routes that serve them). */
  openapi: () => { document: object; html: string };
}

type Schema = z.ZodType;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

/**
 * One route of the API: the single registry entry from which both the Express route and its OpenAPI operation are
 * built, so the two cannot drift apart.
 */
export interface RouteSpec<P extends Schema | undefined, Q extends Schema | undefined, B extends Schema | undefined> {
  method: Method;
  /** Express path syntax (`/items/:id`); the OpenAPI path is derived from it (`/items/{id}`). */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  params?: P;
  query?: Q;
  body?: B;
  success: {
    status: number;
    description: string;
    /** JSON body schema; omitted for empty responses (204). */
    schema?: Schema;
    /** Non-JSON responses (the docs page): the media type and a JSON schema of the content. */
    media?: { type: string; schema: Record<string, unknown> };
    headers?: Record<string, { description: string; schema: Record<string, unknown> }>;
  };
  /** Failures specific to this route; the common ones (validation, rate limit, timeout...) are added for all. */
  problems?: readonly ProblemSlug[];
  /** Health probes are exempt from rate limiting and request timeouts. */
  probe?: boolean;
  /** The handler uses the database: it runs through the circuit breaker, and answers 503 during start-up. */
  database?: boolean;
  /**
   * A read that may be served degraded: its last good answer for the same `key(input)` is kept for
   * DEGRADED_CACHE_TTL_MS and served (with `X-Degraded: cache` and `Age`) when the database fails or its breaker is
   * open.
   */
  degraded?: { key(input: { params: Out<P>; query: Out<Q>; body: Out<B> }): string };
  /** Returns the response body (JSON-encoded unless `success.media` is set). */
  handle(input: { params: Out<P>; query: Out<Q>; body: Out<B> }, ctx: HandlerContext): Promise<unknown> | unknown;
}

export type AnyRoute = RouteSpec<Schema | undefined, Schema | undefined, Schema | undefined>;

/** Declares a route with its handler's input types inferred from the schemas. */
export function route<
  P extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  B extends Schema | undefined = undefined,
>(spec: RouteSpec<P, Q, B>): AnyRoute {
  return spec as unknown as AnyRoute;
}

/** `/items/:id` -> `/items/{id}`. */
export const openApiPath = (expressPath: string) => expressPath.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
