import { describe, expect, it } from 'vitest';
import { hotFunctions } from '../src/profile/hot-functions.js';
import type { CpuProfile } from '../src/profile/owners.js';

const frame = (functionName: string, url: string, lineNumber = 0) => ({ functionName, url, lineNumber });

describe('hotFunctions', () => {
  it('ranks functions by their own samples, as shares of the busy ones, with package and line', () => {
    const profile: CpuProfile = {
      nodes: [
        { id: 1, callFrame: frame('(root)', ''), children: [2, 5, 6] },
        { id: 2, callFrame: frame('metrics', 'file:///r/node_modules/prom-client/lib/registry.js', 82), children: [3] },
        { id: 3, callFrame: frame('escapeString', 'file:///r/node_modules/prom-client/lib/registry.js', 233) },
        { id: 5, callFrame: frame('', 'node:internal/streams/writable', 9) },
        { id: 6, callFrame: frame('(idle)', '') },
      ],
      samples: [3, 3, 3, 2, 5, 6, 6, 6, 6],
    };
    expect(hotFunctions(profile, 2)).toEqual([
      { fn: 'escapeString prom-client registry.js:234', share: 0.6 },
      { fn: '(anonymous) node:internal/streams/writable:10', share: 0.2 },
    ]);
  });
});
