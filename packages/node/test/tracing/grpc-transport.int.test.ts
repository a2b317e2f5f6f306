import { createServer, type Http2Session } from 'node:http2';
import { credentials, Metadata } from '@grpc/grpc-js';
import { freePort, waitUntil } from '@otelkit/native-runtime';
import { OtlpGrpcReceiver } from '@otelkit/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { GrpcTraceTransport } from '../../src/tracing/grpc-transport.js';

const transports: GrpcTraceTransport[] = [];
const transport = (address: string, keepaliveMillis = 30_000) => {
  const t = new GrpcTraceTransport({
    address,
    credentials: credentials.createInsecure(),
    metadata: new Metadata(),
    compression: 'gzip',
    keepaliveMillis,
    maxReconnectBackoffMillis: 1_000,
    userAgent: 'otelkit-test',
  });
  transports.push(t);
  return t;
};
afterEach(() => {
  for (const t of transports.splice(0)) t.shutdown();
});

describe('GrpcTraceTransport', () => {
  it('delivers an export to a real OTLP gRPC server', async () => {
    const receiver = await new OtlpGrpcReceiver().start();
    try {
      // An empty ExportTraceServiceRequest is a valid (empty) protobuf message.
      const result = await transport(`127.0.0.1:${receiver.port}`).send(new Uint8Array(0), 5_000);
      expect(result.status).toBe('success');
      expect(receiver.exportCalls).toBe(1);
    } finally {
      await receiver.stop();
    }
  });

  it('sends keepalive pings while an export hangs on a silent collector', async () => {
    const server = createServer();
    const sessions: Http2Session[] = [];
    let pings = 0;
    server.on('session', (session) => {
      sessions.push(session);
      session.on('ping', () => {
        pings++;
      });
    });
    server.on('stream', () => {}); // accept the call, never answer
    const port = await freePort();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    try {
      const pending = transport(`127.0.0.1:${port}`, 1_000).send(new Uint8Array(0), 8_000);
      await waitUntil(() => pings >= 2, { what: 'two keepalive pings', timeoutMs: 7_000 });
      const result = await pending;
      expect(result.status).toBe('failure');
    } finally {
      for (const session of sessions) session.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('fails fast with UNAVAILABLE when nothing listens', async () => {
    const port = await freePort();
    const result = await transport(`127.0.0.1:${port}`).send(new Uint8Array(0), 5_000);
    expect(result.status).toBe('failure');
    expect(result.status === 'failure' && String(result.error)).toMatch(/UNAVAILABLE/);
  });
});
