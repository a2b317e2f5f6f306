import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  HttpProblem,
  isDatabaseUnavailable,
  PROBLEM_SLUGS,
  PROBLEM_TYPES,
  Problem,
  type ProblemSlug,
  toHttpProblem,
} from '../src/http/problems.js';

const options = { retryAfterSeconds: 5 };
const map = (error: unknown) => toHttpProblem(error, options);
const pgError = (code: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(`pg error ${code}`), { code, severity: 'ERROR', ...extra });
const bodyParserError = (type: string, status: number, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(type), { type, status, statusCode: status, expose: true, ...extra });

describe('toHttpProblem: every failure maps to one problem type', () => {
  const cases: Array<[string, unknown, ProblemSlug, number]> = [
    ['an HttpProblem as is', new HttpProblem('not-found', 'item 1 does not exist'), 'not-found', 404],
    ['a ZodError', z.object({ a: z.string() }).safeParse({}).error, 'validation-error', 400],
    ['malformed JSON', bodyParserError('entity.parse.failed', 400), 'malformed-json', 400],
    ['a body over the limit', bodyParserError('entity.too.large', 413, { limit: 1024 }), 'payload-too-large', 413],
    ['an unsupported charset', bodyParserError('charset.unsupported', 415), 'unsupported-media-type', 415],
    ['an unsupported encoding', bodyParserError('encoding.unsupported', 415), 'unsupported-media-type', 415],
    ['an aborted upload', bodyParserError('request.aborted', 400), 'bad-request', 400],
    ['a unique violation', pgError('23505', { constraint: 'items_sku_key' }), 'conflict', 409],
    ['a foreign key violation', pgError('23503', { constraint: 'order_lines_item_id_fkey' }), 'conflict', 409],
    ['a check violation', pgError('23514'), 'conflict', 409],
    ['a deadlock', pgError('40P01'), 'conflict', 409],
    ['a serialization failure', pgError('40001'), 'conflict', 409],
    ['a statement timeout', pgError('57014'), 'timeout', 504],
    ['a numeric overflow', pgError('22003'), 'bad-request', 400],
    ['an admin shutdown', pgError('57P01'), 'database-unavailable', 503],
    ['the database starting up', pgError('57P03'), 'database-unavailable', 503],
    ['too many connections', pgError('53300'), 'database-unavailable', 503],
    ['a connection failure', pgError('08006'), 'database-unavailable', 503],
    [
      'connection refused',
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      'database-unavailable',
      503,
    ],
    ['a pool connect timeout', new Error('timeout exceeded when trying to connect'), 'database-unavailable', 503],
    ['a dropped connection', new Error('Connection terminated unexpectedly'), 'database-unavailable', 503],
    ['an http-errors 404', Object.assign(new Error('nope'), { status: 404 }), 'not-found', 404],
    [
      'a bad path encoding',
      Object.assign(new URIError('Failed to decode param'), { status: 400, expose: true }),
      'bad-request',
      400,
    ],
    ['an unknown error', new TypeError('cannot read properties of undefined'), 'internal', 500],
    ['an unknown SQL error', pgError('42P01'), 'internal', 500],
    ['a thrown string', 'boom', 'internal', 500],
    ['undefined', undefined, 'internal', 500],
  ];
  for (const [what, error, slug, status] of cases) {
    it(`${what} -> ${status} ${slug}`, () => {
      const problem = map(error);
      expect(problem.slug).toBe(slug);
      expect(problem.status).toBe(status);
    });
  }

  it('says which constraint a conflict broke', () => {
    expect(map(pgError('23505', { constraint: 'items_sku_key' })).detail).toBe('an item with this sku already exists');
    expect(map(pgError('23503', { constraint: 'order_lines_item_id_fkey' })).detail).toMatch(
      /referenced by existing orders/,
    );
    expect(map(pgError('23505', { constraint: 'other' })).detail).toBe('the resource already exists');
  });

  it('503s carry Retry-After', () => {
    for (const error of [pgError('57P01'), new Error('Connection terminated unexpectedly')]) {
      expect(map(error).extra.headers).toEqual({ 'Retry-After': '5' });
    }
  });

  it('lists zod issues as validation errors', () => {
    const error = z.object({ a: z.object({ b: z.int() }) }).safeParse({ a: { b: 'x' } }).error;
    expect(map(error).extra.errors).toEqual([
      { location: 'body', field: 'a.b', code: 'invalid_type', message: expect.stringContaining('expected number') },
    ]);
  });

  it('never leaks the message or stack of an unexpected error', () => {
    const secret = new Error('password authentication failed for user "admin" at /srv/app/db.js:12');
    const problem = map(secret);
    const body = JSON.stringify(problem.body('/items', null));
    expect(body).not.toContain('password');
    expect(body).not.toContain('db.js');
    expect(problem.detail).toBe('an unexpected error occurred; it has been logged');
    // nor the message of a 4xx error that http-errors does not mark as safe to show
    expect(map(Object.assign(new Error('internal detail'), { status: 400 })).detail).toBe('the request is invalid');
  });
});

describe('HttpProblem.body', () => {
  it('is an RFC 7807 problem with the trace id', () => {
    const body = new HttpProblem('insufficient-stock', 'item 3: 5 wanted, 2 in stock').body('/orders', 'a'.repeat(32));
    expect(body).toEqual({
      type: '/docs#problem-insufficient-stock',
      title: 'Insufficient stock',
      status: 409,
      detail: 'item 3: 5 wanted, 2 in stock',
      instance: '/orders',
      trace_id: 'a'.repeat(32),
    });
    expect(Problem.parse(body)).toEqual(body);
  });

  it('every problem type has a distinct slug, an error status and a title', () => {
    expect(new Set(PROBLEM_SLUGS).size).toBe(PROBLEM_SLUGS.length);
    for (const slug of PROBLEM_SLUGS) {
      expect(PROBLEM_TYPES[slug].status).toBeGreaterThanOrEqual(400);
      expect(PROBLEM_TYPES[slug].title).toMatch(/^[A-Z]/);
    }
  });
});

describe('isDatabaseUnavailable', () => {
  it('tells connection failures from query errors', () => {
    expect(isDatabaseUnavailable(pgError('57P01'))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isDatabaseUnavailable(pgError('23505'))).toBe(false);
    expect(isDatabaseUnavailable(new Error('syntax error'))).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
  });
});
