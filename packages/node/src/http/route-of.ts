import type { IncomingMessage } from 'node:http';
import { type Context, context } from '@opentelemetry/api';
import { getRPCMetadata, RPCType } from '@opentelemetry/core';

type ExpressRequest = IncomingMessage & { baseUrl?: unknown; route?: { path?: unknown } };

/**
 * The route template of a finished request, never the raw URL (random paths must not create series or span
 * names): the one the Express instrumentation recorded in the request context's RPC metadata (it follows nested
 * routers through errors too), else Express's own `req.baseUrl + req.route.path` when the Express instrumentation
 * is off, else undefined (no route matched, or not an Express app).
 */
export function routeOf(request: IncomingMessage, requestContext: Context = context.active()): string | undefined {
  const rpc = getRPCMetadata(requestContext);
  if (rpc?.type === RPCType.HTTP && rpc.route) return rpc.route;
  const { baseUrl, route } = request as ExpressRequest;
  const path = route?.path;
  if (typeof path !== 'string') return undefined;
  return (typeof baseUrl === 'string' ? baseUrl : '') + path;
}
