/**
 * The one error-mapping module: every failure the API can answer becomes an RFC 7807 problem here. Pure (no Express,
 * no pg import), so the mapping is unit-tested on its own.
 */
import { z } from 'zod';

/** Problem types: the `type` URI of each is `/docs#problem-<slug>` (documented on the docs page). */
export const PROBLEM_TYPES = {
  'validation-error': { status: 400, title: 'Request validation failed' },
  'malformed-json': { status: 400, title: 'Malformed JSON body' },
  'bad-request': { status: 400, title: 'Bad request' },
  'not-found': { status: 404, title: 'Not found' },
  'method-not-allowed': { status: 405, title: 'Method not allowed' },
  conflict: { status: 409, title: 'Conflict' },
  'insufficient-stock': { status: 409, title: 'Insufficient stock' },
  'payload-too-large': { status: 413, title: 'Payload too large' },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type' },
  'rate-limited': { status: 429, title: 'Too many requests' },
  internal: { status: 500, title: 'Internal server error' },
  'database-unavailable': { status: 503, title: 'Database unavailable' },
  'shutting-down': { status: 503, title: 'Service shutting down' },
  timeout: { status: 504, title: 'Request timed out' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemSlug = keyof typeof PROBLEM_TYPES;
export const PROBLEM_SLUGS = Object.keys(PROBLEM_TYPES) as ProblemSlug[];

export const problemTypeUri = (slug: ProblemSlug) => `/docs#problem-${slug}`;

/** One validation issue: where (path, query, body), which field, what is wrong. */
export const ValidationIssue = z
  .object({
    location: z.enum(['path', 'query', 'body']),
    field: z.string().meta({ description: 'Dotted path of the field; empty for the whole input.' }),
    code: z.string(),
    message: z.string(),
  })
  .meta({ id: 'ValidationIssue' });
export type ValidationIssue = z.output<typeof ValidationIssue>;

export const Problem = z
  .object({
    type: z
      .string()
      .meta({ description: 'URI reference identifying the problem type.', example: '/docs#problem-not-found' }),
    title: z.string(),
    status: z.int(),
    detail: z.string(),
    instance: z.string().meta({ description: 'The request path that failed.' }),
    trace_id: z
      .string()
      .nullable()
      .meta({ description: 'Trace id of the request (null on untraced paths such as the health probes).' }),
    errors: z.array(ValidationIssue).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 7807 problem details.' });
export type Problem = z.output<typeof Problem>;

/** A problem to answer with: thrown by handlers, produced by `toHttpProblem` for everything else. */
export class HttpProblem extends Error {
  override readonly name = 'HttpProblem';
  readonly status: number;
  readonly title: string;

  constructor(
    readonly slug: ProblemSlug,
    readonly detail: string,
    readonly extra: { errors?: ValidationIssue[]; headers?: Record<string, string> } = {},
  ) {
    super(detail);
    this.status = PROBLEM_TYPES[slug].status;
    this.title = PROBLEM_TYPES[slug].title;
  }

  /** The response body for a request path and trace id. */
  body(instance: string, traceId: string | null): Problem {
    return {
      type: problemTypeUri(this.slug),
      title: this.title,
      status: this.status,
      detail: this.detail,
      instance,
      trace_id: traceId,
      ...(this.extra.errors ? { errors: this.extra.errors } : {}),
    };
  }
}

export interface MappingOptions {
  /** Seconds clients should wait before retrying a 503 (Retry-After). */
  retryAfterSeconds: number;
}

type ErrorLike = {
  code?: unknown;
  type?: unknown;
  status?: unknown;
  statusCode?: unknown;
  message?: unknown;
  constraint?: unknown;
  expose?: unknown;
  limit?: unknown;
};

/** SQLSTATE codes and Node/pg connection failures that mean "the database cannot be reached right now". */
const DB_DOWN_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);
const DB_DOWN_MESSAGES = [
  /timeout exceeded when trying to connect/i,
  /connection terminated/i,
  /connection ended/i,
  /client has encountered a connection error/i,
  /cannot use a pool after calling end/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
];

const isSqlState = (code: unknown): code is string => typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code);

/** True for errors meaning the database is unreachable (used by /readyz and the mapping below). */
export function isDatabaseUnavailable(error: unknown): boolean {
  const e = (error ?? {}) as ErrorLike;
  if (isSqlState(e.code)) {
    return e.code.startsWith('08') || ['57P01', '57P02', '57P03', '53300'].includes(e.code);
  }
  if (typeof e.code === 'string' && DB_DOWN_NODE_CODES.has(e.code)) return true;
  const message = typeof e.message === 'string' ? e.message : '';
  return DB_DOWN_MESSAGES.some((re) => re.test(message));
}

/** Unique/foreign-key constraint names -> what to tell the client. */
const CONSTRAINT_DETAILS: Record<string, string> = {
  items_sku_key: 'an item with this sku already exists',
  order_lines_item_id_fkey: 'the item is referenced by existing orders and cannot be deleted',
};

function fromPostgres(code: string, e: ErrorLike, options: MappingOptions): HttpProblem | undefined {
  const constraint = typeof e.constraint === 'string' ? e.constraint : '';
  switch (code) {
    case '23505':
      return new HttpProblem('conflict', CONSTRAINT_DETAILS[constraint] ?? 'the resource already exists');
    case '23503':
      return new HttpProblem('conflict', CONSTRAINT_DETAILS[constraint] ?? 'the change breaks a reference');
    case '23514':
      return new HttpProblem('conflict', 'the change violates a constraint of the current state');
    case '40001':
    case '40P01':
      return new HttpProblem('conflict', 'the request conflicted with a concurrent update; retry it');
    case '57014':
      return new HttpProblem('timeout', 'the database query took too long and was cancelled');
    default:
      if (code.startsWith('22')) return new HttpProblem('bad-request', 'a value is out of range or malformed');
      if (isDatabaseUnavailable(e)) {
        return new HttpProblem('database-unavailable', 'the database is unavailable; retry later', {
          headers: { 'Retry-After': String(options.retryAfterSeconds) },
        });
      }
      return undefined;
  }
}

/** Errors of Express' body parser (http-errors with a `type`). */
function fromBodyParser(type: string, e: ErrorLike): HttpProblem | undefined {
  switch (type) {
    case 'entity.too.large':
      return new HttpProblem(
        'payload-too-large',
        `the request body exceeds the limit of ${typeof e.limit === 'number' ? `${e.limit} bytes` : 'the server'}`,
      );
    case 'entity.parse.failed':
      return new HttpProblem('malformed-json', 'the request body is not valid JSON');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new HttpProblem('unsupported-media-type', String(e.message ?? 'unsupported content encoding'));
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return new HttpProblem('bad-request', 'the request body could not be read');
    default:
      return undefined;
  }
}

/**
 * Maps any error to the problem to answer with. Unknown errors become a 500 whose detail says nothing about the
 * cause: stack traces and messages of unexpected errors are logged, never sent.
 */
export function toHttpProblem(error: unknown, options: MappingOptions): HttpProblem {
  if (error instanceof HttpProblem) return error;
  if (error instanceof z.ZodError) {
    return new HttpProblem('validation-error', 'the request is invalid', { errors: zodIssues('body', error) });
  }
  const e = (error ?? {}) as ErrorLike;
  if (typeof e.type === 'string') {
    const problem = fromBodyParser(e.type, e);
    if (problem) return problem;
  }
  if (isSqlState(e.code)) {
    const problem = fromPostgres(e.code, e, options);
    if (problem) return problem;
  }
  if (isDatabaseUnavailable(e)) {
    return new HttpProblem('database-unavailable', 'the database is unavailable; retry later', {
      headers: { 'Retry-After': String(options.retryAfterSeconds) },
    });
  }
  const status = typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : 500;
  if (status === 404) return new HttpProblem('not-found', 'not found');
  if (status === 413) return new HttpProblem('payload-too-large', 'the request body is too large');
  if (status === 415) return new HttpProblem('unsupported-media-type', 'unsupported media type');
  if (status >= 400 && status < 500) {
    // http-errors marks client errors as safe to show (`expose`), e.g. a malformed percent-encoding in the path.
    const detail = e.expose === true && typeof e.message === 'string' ? e.message : 'the request is invalid';
    return new HttpProblem('bad-request', detail);
  }
  return new HttpProblem('internal', 'an unexpected error occurred; it has been logged');
}

/** Zod issues as validation issues of one request location. */
export function zodIssues(location: ValidationIssue['location'], error: z.ZodError): ValidationIssue[] {
  return error.issues.map((issue) => ({
    location,
    field: issue.path.map(String).join('.'),
    code: issue.code,
    message: issue.message,
  }));
}
