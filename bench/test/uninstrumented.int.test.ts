import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '@otelkit/stack';
import { describe, expect, it } from 'vitest';
import { variantLaunch } from '../src/variants.js';

const run = promisify(execFile);
const probe = join(import.meta.dirname, 'fixtures', 'hook-probe.mjs');

/** Runs the probe with a variant's node options; returns what it found installed. */
async function installed(nodeArgs: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run(process.execPath, [...nodeArgs, probe], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', OTEL_TRACES_EXPORTER: 'none', OTELKIT_METRICS_SERVER: 'false' },
  });
  const report = stdout.split('\n').find((line) => line.includes('httpPatched'));
  if (report === undefined) throw new Error(`the probe printed no report:\n${stdout}`);
  return JSON.parse(report) as Record<string, unknown>;
}

describe('the uninstrumented variant', () => {
  it('imports @otelkit/node as the demo does, yet nothing is hooked, registered or started', async () => {
    expect(await installed(variantLaunch('uninstrumented', 1).nodeArgs)).toEqual({
      httpPatched: false,
      tracerProvider: 'NoopTracerProvider',
      contextManager: 'NoopContextManager',
      otelkitStarted: false,
    });
  });

  it('differs from the otelkit variant, where the same probe finds everything installed', async () => {
    expect(await installed(variantLaunch('otelkit', 1).nodeArgs)).toEqual({
      httpPatched: true,
      tracerProvider: expect.stringMatching(/^TracerProvider/), // the SDK's bundled class name may carry a suffix
      contextManager: 'AsyncLocalStorageContextManager',
      otelkitStarted: true,
    });
  });
});
