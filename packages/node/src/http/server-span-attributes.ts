import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Attributes } from '@opentelemetry/api';
import { normalizeMethod, pathOf } from './normalize.js';

/**
 * The semantic-convention attributes of an HTTP server span (stable HTTP conventions, the set the upstream
 * instrumentation-http 0.30x writes), computed only for spans that are recorded: an unsampled request pays none of
 * this. `url.query` is left out: query strings carry tokens, and the route template says what was called.
 */
export function serverRequestAttributes(request: IncomingMessage, scheme: 'http' | 'https'): Attributes {
  const { headers, socket } = request;
  const method = request.method ?? 'GET';
  const normalized = normalizeMethod(method);
  const attributes: Attributes = {
    'http.request.method': normalized,
    'url.scheme': scheme,
    'url.path': pathOf(request.url),
    'network.protocol.version': request.httpVersion,
    'network.peer.address': socket.remoteAddress,
    'network.peer.port': socket.remotePort,
  };
  if (normalized !== method) attributes['http.request.method_original'] = method;
  const host = headers.host;
  if (host !== undefined) {
    const { address, port } = splitHost(host);
    attributes['server.address'] = address;
    if (port !== undefined) attributes['server.port'] = port;
  }
  const userAgent = headers['user-agent'];
  if (userAgent !== undefined) attributes['user_agent.original'] = userAgent;
  const client = clientAddress(request);
  if (client !== undefined) attributes['client.address'] = client;
  return attributes;
}

/** The attributes known once the response is over: status code, route template and, for 5xx, `error.type`. */
export function serverResponseAttributes(response: ServerResponse, route: string | undefined): Attributes {
  const status = response.statusCode;
  const attributes: Attributes = { 'http.response.status_code': status };
  if (route) attributes['http.route'] = route;
  if (status >= 500) attributes['error.type'] = String(status);
  return attributes;
}

/** `host[:port]`, `[v6]:port` -> address and numeric port. */
function splitHost(host: string): { address: string; port: number | undefined } {
  const bracket = host.startsWith('[') ? host.indexOf(']') : -1;
  const colon = host.lastIndexOf(':');
  if (colon === -1 || colon < bracket) return { address: host, port: undefined };
  const port = Number(host.slice(colon + 1));
  const address = bracket !== -1 ? host.slice(1, bracket) : host.slice(0, colon);
  return { address, port: Number.isInteger(port) ? port : undefined };
}

/** The original client: the first `Forwarded: for=` or `X-Forwarded-For` entry, else the socket's peer. */
function clientAddress(request: IncomingMessage): string | undefined {
  const forwarded = request.headers.forwarded;
  if (forwarded !== undefined) {
    const match = /for="?\[?([^\]";,]+)/i.exec(forwarded);
    if (match?.[1]) return match[1];
  }
  const xff = request.headers['x-forwarded-for'];
  const first = (Array.isArray(xff) ? xff[0] : xff)?.split(',')[0]?.trim();
  return first || request.socket.remoteAddress;
}
