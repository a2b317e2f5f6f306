import { KNOWN_HTTP_METHODS, OTHER_METHOD } from '../names.js';

const known = new Set(KNOWN_HTTP_METHODS);

/** Bounded method label: known methods as-is, anything else (bogus or custom methods) as `_OTHER`. */
export function normalizeMethod(method: string | undefined): string {
  if (method === undefined) return 'GET';
  if (known.has(method)) return method; // what Node's parser gives for every standard method
  const upper = method.toUpperCase();
  return known.has(upper) ? upper : OTHER_METHOD;
}

/** The request path without query string, for matching ignored paths. */
export function pathOf(url: string | undefined): string {
  if (url === undefined || url === '') return '/';
  const query = url.indexOf('?');
  if (query === -1) return url;
  return query === 0 ? '/' : url.slice(0, query);
}
