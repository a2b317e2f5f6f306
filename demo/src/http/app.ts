import { traceFields } from '@otelkit/node/logger';
import { LOG_KEYS } from '@otelkit/node/names';
import { DEMO_NAMES } from '@otelkit/stack-topology';
import { activeSpan } from '@otelkit/node/trace';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import { renderDocsPage } from './docs-page.js';
import { buildOpenApi, PROBLEM_MEDIA_TYPE } from './openapi.js';
import { HttpProblem, toHttpProblem, type ValidationIssue, zodIssues } from './problems.js';
import type { AnyRoute, AppDeps, HandlerContext } from './route.js';
import { ROUTES } from './routes.js';

interface Locals {
  traceId: string | null;
  signal: AbortSignal;
}
const locals = (res: Response) => res.locals as Locals;

/** Writes a problem: status, its headers (Retry-After), `application/problem+json`, trace id of the request. */
function sendProblem(req: Request, res: Response, problem: HttpProblem): void {
  const instance = req.originalUrl.split('?')[0] ?? req.path;
  res
    .status(problem.status)
    .set(problem.extra.headers ?? {})
    .type(PROBLEM_MEDIA_TYPE)
    .send(JSON.stringify(problem.body(instance, locals(res).traceId ?? null)));
}

/**
 * Answers 504 when a request runs longer than `ms` and aborts its signal: a transaction still running will not
 * commit, and the late result is dropped. Statement timeouts (DB_STATEMENT_TIMEOUT_MS) stop the SQL itself.
 */
function requestTimeout(ms: number, exempt: ReadonlySet<string>): RequestHandler {
  return (req, res, next) => {
    const controller = new AbortController();
    locals(res).signal = controller.signal;
    if (exempt.has(req.path)) return next();
    const timer = setTimeout(() => {
      const problem = new HttpProblem('timeout', `the request did not complete within ${ms} ms`);
      controller.abort(problem);
      if (!res.headersSent) sendProblem(req, res, problem);
    }, ms);
    const clear = () => clearTimeout(timer);
    res.once('finish', clear);
    res.once('close', clear);
    next();
  };
}

const hasBody = (req: Request) =>
  req.headers['transfer-encoding'] !== undefined ||
  (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');

/** 415 for a body that is not JSON on a route that takes JSON. */
const requireJson: RequestHandler = (req, _res, next) => {
  if (!hasBody(req) || req.is(['application/json', 'application/*+json'])) return next();
  next(
    new HttpProblem(
      'unsupported-media-type',
      `expected a Content-Type of application/json, got ${req.get('content-type') ?? 'none'}`,
    ),
  );
};

function validateInput(route: AnyRoute, req: Request) {
  const errors: ValidationIssue[] = [];
  const parse = (schema: AnyRoute['params'], value: unknown, location: ValidationIssue['location']) => {
    if (schema === undefined) return undefined;
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    errors.push(...zodIssues(location, result.error));
    return undefined;
  };
  const input = {
    params: parse(route.params, req.params, 'path'),
    query: parse(route.query, req.query, 'query'),
    body: parse(route.body, req.body, 'body'),
  };
  if (errors.length > 0) {
    const where = [...new Set(errors.map((e) => (e.field ? `${e.location} field ${e.field}` : e.location)))];
    throw new HttpProblem('validation-error', `invalid ${where.join(', ')}`, { errors });
  }
  return input;
}

type Input = Parameters<AnyRoute['handle']>[0];

/**
 * Runs a database route through the circuit breaker. A `degraded` route remembers its good answers, and when the
 * database fails (503/504) or the breaker is open it answers the last good one of the same request instead, saying
 * so in `X-Degraded`, `Age`, its span and a metric.
 */
async function throughBreaker(route: AnyRoute, input: Input, context: HandlerContext): Promise<unknown> {
  const { deps, res } = context;
  if (deps.state.starting) {
    throw new HttpProblem('database-unavailable', 'the service is starting: waiting for the database', {
      headers: { 'Retry-After': String(deps.config.RETRY_AFTER_SECONDS) },
    });
  }
  const key = route.degraded ? `${route.method} ${route.path} ${route.degraded.key(input)}` : undefined;
  try {
    const result = await deps.breaker.run(
      async (signal) => route.handle(input, { ...context, signal }),
      context.signal,
    );
    if (key !== undefined) deps.degradedCache.remember(key, result);
    return result;
  } catch (error) {
    const recalled = key === undefined ? undefined : deps.degradedCache.recall(key);
    const status = toHttpProblem(error, { retryAfterSeconds: deps.config.RETRY_AFTER_SECONDS }).status;
    if (recalled === undefined || (status !== 503 && status !== 504) || context.signal.aborted) throw error;
    const ageSeconds = Math.floor(recalled.ageMs / 1000);
    res.set(DEMO_NAMES.degradedHeader, 'cache').set('Age', String(ageSeconds));
    activeSpan()?.setAttributes({ [DEMO_NAMES.spans.degraded]: 'cache', [DEMO_NAMES.spans.degradedAge]: ageSeconds });
    deps.metrics.degradedResponse(route.path);
    return recalled.value;
  }
}

function mount(
  app: express.Express,
  route: AnyRoute,
  deps: AppDeps,
  openapi: HandlerContext['openapi'],
  jsonBody: RequestHandler,
): void {
  const handler = async (req: Request, res: Response) => {
    const input = validateInput(route, req);
    const { signal } = locals(res);
    const context: HandlerContext = { deps, req, res, signal, openapi };
    const result = route.database ? await throughBreaker(route, input, context) : await route.handle(input, context);
    if (res.headersSent || signal.aborted) return; // timed out: the 504 is already on its way
    res.status(route.success.status);
    if (route.success.status === 204) res.end();
    else if (route.success.media?.type === 'text/html') res.type('html').send(result);
    else res.json(result);
  };
  app[route.method](route.path, ...(route.body ? [requireJson, jsonBody] : []), handler);
}

/** The methods each route path answers (HEAD with GET, as Express serves it), for 405's Allow header. */
function allowedMethods(routes: readonly AnyRoute[]): Map<string, string> {
  const byPath = new Map<string, Set<string>>();
  for (const route of routes) {
    const methods = byPath.get(route.path) ?? new Set<string>();
    methods.add(route.method.toUpperCase());
    if (route.method === 'get') methods.add('HEAD');
    byPath.set(route.path, methods);
  }
  return new Map([...byPath].map(([path, methods]) => [path, [...methods].sort().join(', ')]));
}

export interface DemoApp {
  app: express.Express;
  document: ReturnType<typeof buildOpenApi>;
}

/** The Express application: security headers, timeouts, rate limiting, the route registry, problem responses. */
export function createApp(deps: AppDeps, routes: readonly AnyRoute[] = ROUTES): DemoApp {
  const { config, log } = deps;
  const document = buildOpenApi(routes);
  const docs = { document, html: renderDocsPage(document) };
  const probes = new Set(routes.filter((r) => r.probe).map((r) => r.path));

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.TRUST_PROXY);

  app.use((_req, res, next) => {
    locals(res).traceId = traceFields()[LOG_KEYS.traceId] ?? null;
    next();
  });
  app.use(helmet());
  app.use(requestTimeout(config.REQUEST_TIMEOUT_MS, probes));
  if (config.RATE_LIMIT_PER_MINUTE > 0) {
    app.use(
      rateLimit({
        windowMs: 60_000,
        limit: config.RATE_LIMIT_PER_MINUTE,
        standardHeaders: 'draft-7',
        legacyHeaders: false,
        skip: (req) => probes.has(req.path),
        handler: (_req, _res, next) =>
          next(
            new HttpProblem(
              'rate-limited',
              `more than ${config.RATE_LIMIT_PER_MINUTE} requests per minute from this client; retry later`,
            ),
          ),
      }),
    );
  }

  const jsonBody = express.json({ limit: config.BODY_LIMIT, type: ['application/json', 'application/*+json'] });
  for (const route of routes) mount(app, route, deps, () => docs, jsonBody);

  // A path the API serves, asked with a method it does not serve: 405 and the methods it does (RFC 9110 15.5.6).
  for (const [path, allowed] of allowedMethods(routes)) {
    app.route(path).all((req, _res, next) =>
      next(
        new HttpProblem('method-not-allowed', `${req.method} is not allowed on ${path}; use ${allowed}`, {
          headers: { Allow: allowed },
        }),
      ),
    );
  }
  app.use((req, _res, next) => next(new HttpProblem('not-found', `no route for ${req.method} ${req.path}`)));
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const problem = toHttpProblem(error, { retryAfterSeconds: config.RETRY_AFTER_SECONDS });
    if (problem.slug === 'internal') log.error({ err: error, path: req.path }, 'request failed');
    else if (problem.status >= 500) log.warn({ err: { message: String((error as Error)?.message) } }, problem.title);
    if (res.headersSent) {
      if (!res.writableEnded) res.destroy();
      return;
    }
    sendProblem(req, res, problem);
  });
  return { app, document };
}
