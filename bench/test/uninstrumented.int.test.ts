import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '@otelkit/native-runtime';
import { describe, expect, it } from 'vitest';
import { openTelemetryModules } from '../src/module-audit.js';
import { MODULE_RECORDER } from '../src/paths.js';
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

/**
 * The modules the demo's program loads with a variant's node options, recorded by the benchmark's module recorder:
 * `main.js serve --help` imports the whole program (static imports) and exits before serving.
 */
async function demoModules(nodeArgs: string[]): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'otelkit-bench-modules-'));
  try {
    const file = join(dir, 'modules.txt');
    await run(
      process.execPath,
      ['--import', MODULE_RECORDER, ...nodeArgs, join(REPO_ROOT, 'demo/dist/main.js'), 'serve', '--help'],
      {
        cwd: REPO_ROOT,
        env: {
          PATH: process.env.PATH ?? '',
          BENCH_MODULES_FILE: file,
          OTEL_TRACES_EXPORTER: 'none',
          OTELKIT_METRICS_SERVER: 'false',
        },
      },
    );
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line !== '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the uninstrumented variant', () => {
  it("loads the demo's whole program and not one OpenTelemetry module (what the benchmark's audit checks)", async () => {
    const modules = await demoModules(variantLaunch('uninstrumented', 1).nodeArgs);
    expect(modules.some((url) => url.endsWith('/demo/dist/http/app.js'))).toBe(true);
    expect(modules.some((url) => url.includes('/node_modules/express/'))).toBe(true);
    expect(openTelemetryModules(modules)).toEqual([]);
  });

  it('the audit sees them in the otelkit variant', async () => {
    const modules = await demoModules(variantLaunch('otelkit', 1).nodeArgs);
    expect(openTelemetryModules(modules).some((url) => url.includes('/@opentelemetry/sdk-trace/'))).toBe(true);
  });

  it("imports otelkit's light entry points as the demo does, yet nothing is hooked, registered or started", async () => {
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
