import { describe, expect, it } from 'vitest';
import { type CpuProfile, ownerShares, packageOf } from '../src/profile/owners.js';

const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 0 });

describe('packageOf', () => {
  it('names scoped and plain packages, otelkit, the demo and Node itself', () => {
    expect(packageOf('file:///r/node_modules/@opentelemetry/sdk-trace/dist/Span.mjs')).toBe('@opentelemetry/sdk-trace');
    expect(packageOf('file:///r/node_modules/pg/lib/query.js')).toBe('pg');
    expect(packageOf('file:///r/packages/node/dist/start.js')).toBe('@otelkit/node');
    expect(packageOf('file:///r/demo/dist/http/app.js')).toBe('demo (the application)');
    expect(packageOf('node:internal/streams/writable')).toBe('node:');
  });
});

describe('ownerShares', () => {
  it('charges Node internals and native code to the nearest package frame above them', () => {
    // root -> express handler -> node:net write -> (native) writev ; root -> pg -> otel pg patch ; idle
    const profile: CpuProfile = {
      nodes: [
        { id: 1, callFrame: frame('(root)', ''), children: [2, 5, 7] },
        { id: 2, callFrame: frame('send', 'file:///r/node_modules/express/lib/response.js'), children: [3] },
        { id: 3, callFrame: frame('write', 'node:net'), children: [4] },
        { id: 4, callFrame: frame('writev', ''), children: [] },
        { id: 5, callFrame: frame('query', 'file:///r/node_modules/pg/lib/client.js'), children: [6] },
        { id: 6, callFrame: frame('patched', 'file:///r/node_modules/@opentelemetry/instrumentation-pg/x.mjs') },
        { id: 7, callFrame: frame('(idle)', '') },
      ],
      samples: [4, 4, 3, 6, 7],
    };
    expect(ownerShares(profile)).toEqual([
      { owner: 'express', share: 0.6 },
      { owner: '(idle)', share: 0.2 },
      { owner: '@opentelemetry/instrumentation-pg', share: 0.2 },
    ]);
  });
});
