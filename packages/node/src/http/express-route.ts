import { IncomingMessage } from 'node:http';

const ROUTE = Symbol('otelkit.expressRoute');
const MOUNT = Symbol('otelkit.expressMount');
type Captured = IncomingMessage & { [ROUTE]?: { path?: unknown }; [MOUNT]?: unknown; baseUrl?: unknown };

/**
 * Remembers, for every request, the Express route that matched and the mount path of the router it matched in,
 * at the moment Express dispatches to it: Express (4 and 5, and the `router` package) assigns `req.route` just
 * then, while `req.baseUrl` is the matching router's full mount path. One accessor on IncomingMessage.prototype,
 * installed once, replaces the Express instrumentation's wrapper around every layer of every request: reading
 * `req.baseUrl` when the response closes instead would be wrong for an error raised in a nested router, which
 * Express answers after restoring the outer `baseUrl`. `req.route` reads as before. Returns the uninstaller.
 */
export function captureExpressRoutes(): () => void {
  const prototype = IncomingMessage.prototype as Captured;
  if (Object.getOwnPropertyDescriptor(prototype, 'route') !== undefined) return () => {};
  Object.defineProperty(prototype, 'route', {
    configurable: true,
    enumerable: false,
    get(this: Captured) {
      return this[ROUTE];
    },
    set(this: Captured, route: { path?: unknown }) {
      this[ROUTE] = route;
      this[MOUNT] = this.baseUrl;
    },
  });
  return () => {
    delete (prototype as { route?: unknown }).route;
  };
}

/** The route template of a request that Express dispatched (`/api` + `/items/:id`), or undefined. */
export function expressRouteOf(request: IncomingMessage): string | undefined {
  const captured = request as Captured;
  const path = captured[ROUTE]?.path;
  if (typeof path !== 'string') return undefined;
  const mount = captured[MOUNT];
  return (typeof mount === 'string' ? mount : '') + path;
}
