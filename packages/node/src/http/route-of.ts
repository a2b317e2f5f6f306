import type { IncomingMessage } from 'node:http';
import { type Context, context } from '@opentelemetry/api';
import { getRPCMetadata, RPCType } from '@opentelemetry/core';
import { expressRouteOf } from './express-route.js';

/**
 * The route template of a finished request, never the raw URL (random paths must not create series or span
 * names): the one the Express instrumentation recorded in the request context's RPC metadata when it is enabled,
 * else the one captured from Express's own dispatch (express-route.ts), else undefined (no route matched, or not
 * an Express app).
 */
export function routeOf(request: IncomingMessage, requestContext: Context = context.active()): string | undefined {
  const rpc = getRPCMetadata(requestContext);
  if (rpc?.type === RPCType.HTTP && rpc.route) return rpc.route;
  return expressRouteOf(request);
}
