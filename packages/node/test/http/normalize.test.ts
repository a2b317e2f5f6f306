import { describe, expect, it } from 'vitest';
import { normalizeMethod, pathOf } from '../../src/http/normalize.js';

describe('normalizeMethod', () => {
  it('keeps known methods and bounds the rest', () => {
    expect(normalizeMethod('get')).toBe('GET');
    expect(normalizeMethod('PATCH')).toBe('PATCH');
    expect(normalizeMethod('FOOBAR')).toBe('_OTHER');
    expect(normalizeMethod(undefined)).toBe('GET');
  });
});

describe('pathOf', () => {
  it('drops the query string', () => {
    expect(pathOf('/healthz?full=1')).toBe('/healthz');
    expect(pathOf(undefined)).toBe('/');
    expect(pathOf('?x')).toBe('/');
  });
});
