import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { fixture } from './helpers.js';

const run = promisify(execFile);

interface Report {
  loaded: string[];
  lines: Array<Record<string, unknown>>;
}

/** Imports `entry` in a fresh Node process (the fixture logs one line through its createLogger). */
async function importIn(entry: string, mode = ''): Promise<Report> {
  const { stdout } = await run(process.execPath, [fixture('loaded-modules.mjs'), entry, mode], {
    cwd: import.meta.dirname, // resolves @otelkit/node (the workspace package) like a dependent would
    env: { PATH: process.env.PATH ?? '' },
  });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as Report;
}

/** Module URLs of OpenTelemetry or of the module-hooking machinery that comes with it. */
const openTelemetryModules = (urls: string[]) =>
  urls.filter((url) => /\/(@opentelemetry\/|import-in-the-middle\/|require-in-the-middle\/)/.test(url));

describe('@otelkit/node/logger', () => {
  it('loads pino and nothing of OpenTelemetry while OpenTelemetry is not started', async () => {
    const { loaded, lines } = await importIn('@otelkit/node/logger');
    expect(loaded.some((url) => url.endsWith('/dist/logger.js'))).toBe(true);
    expect(loaded.some((url) => url.includes('/node_modules/pino/'))).toBe(true);
    expect(openTelemetryModules(loaded)).toEqual([]);
    expect(lines).toEqual([expect.objectContaining({ level: 'info', msg: 'no span' })]);
    expect(lines[0]).not.toHaveProperty('trace_id');
  });

  it('writes the trace context of the active span once an OpenTelemetry context manager is registered', async () => {
    const { lines } = await importIn('@otelkit/node/logger', 'with-span');
    expect(lines).toEqual([
      expect.objectContaining({
        msg: 'inside a span',
        trace_id: '0af7'.repeat(8),
        span_id: 'b7ad'.repeat(4),
        trace_flags: '01',
      }),
    ]);
  });

  it('is the same logger as the main entry point exports', async () => {
    const light = await import('@otelkit/node/logger');
    const main = await import('@otelkit/node');
    expect(main.createLogger).toBe(light.createLogger);
    expect(main.traceFields).toBe(light.traceFields);
  });
});

/** Runs an ES module snippet in a fresh Node process that records every module loaded; returns its last JSON line. */
async function runRecorded(code: string): Promise<{ loaded: string[]; result: unknown }> {
  const { stdout } = await run(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      "import { registerHooks } from 'node:module'; const loaded = []; " +
        'registerHooks({ load: (url, c, next) => (loaded.push(url), next(url, c)) }); ' +
        `const result = await (async () => { ${code} })(); ` +
        'console.log(JSON.stringify({ loaded, result }));',
    ],
    { cwd: import.meta.dirname, env: { PATH: process.env.PATH ?? '' } },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as { loaded: string[]; result: unknown };
}

describe('@otelkit/node/shutdown', () => {
  it('loads nothing but itself', async () => {
    const { loaded } = await runRecorded(
      "const { shutdown } = await import('@otelkit/node/shutdown'); await shutdown();",
    );
    expect(loaded.map((url) => url.replace(/^.*\/dist\//, 'dist/'))).toEqual([
      'dist/shutdown.js',
      'dist/lifecycle/handle-key.js',
    ]);
  });
});

describe('@otelkit/node/trace', () => {
  it('answers no span, and loads nothing of OpenTelemetry, while OpenTelemetry is not started', async () => {
    const { loaded, result } = await runRecorded(
      "const { activeSpan } = await import('@otelkit/node/trace'); return activeSpan() === undefined;",
    );
    expect(result).toBe(true);
    expect(openTelemetryModules(loaded)).toEqual([]);
  });

  it('answers the active span once a context manager is registered, and events and attributes land on it', async () => {
    const { result } = await runRecorded(`
      const { context, trace } = await import('@opentelemetry/api');
      const { AsyncLocalStorageContextManager } = await import('@opentelemetry/context-async-hooks');
      const { TracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = await import('@opentelemetry/sdk-trace');
      context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
      const exporter = new InMemorySpanExporter();
      const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
      const { activeSpan } = await import('@otelkit/node/trace');
      const span = provider.getTracer('t').startSpan('request');
      context.with(trace.setSpan(context.active(), span), () => {
        activeSpan()?.setAttribute('app.key', 'value');
        activeSpan()?.addEvent('app.event');
      });
      span.end();
      await provider.forceFlush();
      const [done] = exporter.getFinishedSpans();
      return { attributes: done.attributes, events: done.events.map((e) => e.name), outside: activeSpan() === undefined };
    `);
    expect(result).toEqual({ attributes: { 'app.key': 'value' }, events: ['app.event'], outside: true });
  });
});

describe('@otelkit/node/metrics', () => {
  it('serves nothing and answers false while otelkit is not started, loading only itself', async () => {
    const { loaded, result } = await runRecorded(
      "const { serveRegistry, servesMetrics } = await import('@otelkit/node/metrics'); return servesMetrics() || serveRegistry({});",
    );
    expect(result).toBe(false);
    expect(loaded.map((url) => url.replace(/^.*\/dist\//, 'dist/'))).toEqual([
      'dist/metrics.js',
      'dist/lifecycle/handle-key.js',
    ]);
  });
});
