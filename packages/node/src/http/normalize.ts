import { KNOWN_HTTP_METHODS, OTHER_METHOD } from '../names.js';

const known = new Set(KNOWN_HTTP_METHODS);

/** Bounded method label: known methods as-is, anything else (bogus or custom methods) as `_OTHER`. */
export function normalizeMethod(method: string | undefined): string {
  const upper = (method ?? 'GET').toUpperCase();
  return known.has(upper) ? upper : OTHER_METHOD;
}

/** The request path without query string, for matching ignored paths. */
export function pathOf(url: string | undefined): string {
  const path = (url ?? '/').split('?')[0] ?? '/';
  return path === '' ? '/' : path;
}
