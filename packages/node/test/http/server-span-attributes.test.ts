import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { serverRequestAttributes, serverResponseAttributes } from '../../src/http/server-span-attributes.js';

function request(overrides: { method?: string; url?: string; headers?: Record<string, string> }): IncomingMessage {
  return {
    method: overrides.method ?? 'GET',
    url: overrides.url ?? '/',
    httpVersion: '1.1',
    headers: overrides.headers ?? {},
    socket: { remoteAddress: '10.0.0.9', remotePort: 51234 },
  } as unknown as IncomingMessage;
}

describe('serverRequestAttributes', () => {
  it('writes the stable HTTP semantic conventions, without the query string', () => {
    expect(
      serverRequestAttributes(
        request({ url: '/items/1?token=x', headers: { host: 'shop.example:8443', 'user-agent': 'k6/2' } }),
        'https',
      ),
    ).toEqual({
      'http.request.method': 'GET',
      'url.scheme': 'https',
      'url.path': '/items/1',
      'network.protocol.version': '1.1',
      'network.peer.address': '10.0.0.9',
      'network.peer.port': 51234,
      'server.address': 'shop.example',
      'server.port': 8443,
      'user_agent.original': 'k6/2',
      'client.address': '10.0.0.9',
    });
  });

  it('keeps an unknown method as http.request.method_original', () => {
    const attributes = serverRequestAttributes(request({ method: 'PURGE' }), 'http');
    expect(attributes['http.request.method']).toBe('_OTHER');
    expect(attributes['http.request.method_original']).toBe('PURGE');
  });

  it('splits IPv6 hosts and hosts without a port', () => {
    expect(serverRequestAttributes(request({ headers: { host: '[::1]:3000' } }), 'http')).toMatchObject({
      'server.address': '::1',
      'server.port': 3000,
    });
    const bare = serverRequestAttributes(request({ headers: { host: 'shop.example' } }), 'http');
    expect(bare['server.address']).toBe('shop.example');
    expect(bare['server.port']).toBeUndefined();
  });

  it('takes the client from Forwarded, then X-Forwarded-For, then the peer', () => {
    const client = (headers: Record<string, string>) =>
      serverRequestAttributes(request({ headers }), 'http')['client.address'];
    expect(client({ forwarded: 'for="[2001:db8::1]:4711";proto=https', 'x-forwarded-for': '203.0.113.5' })).toBe(
      '2001:db8::1',
    );
    expect(client({ 'x-forwarded-for': '203.0.113.5, 10.0.0.1' })).toBe('203.0.113.5');
    expect(client({})).toBe('10.0.0.9');
  });
});

describe('serverResponseAttributes', () => {
  const response = (statusCode: number) => ({ statusCode }) as ServerResponse;
  it('adds the route when one matched and error.type for 5xx only', () => {
    expect(serverResponseAttributes(response(200), '/items/:id')).toEqual({
      'http.response.status_code': 200,
      'http.route': '/items/:id',
    });
    expect(serverResponseAttributes(response(404), undefined)).toEqual({ 'http.response.status_code': 404 });
    expect(serverResponseAttributes(response(503), '/x')['error.type']).toBe('503');
  });
});
