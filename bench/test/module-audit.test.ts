import { describe, expect, it } from 'vitest';
import { assertNoOpenTelemetry, openTelemetryModules } from '../src/module-audit.js';

describe('the module audit', () => {
  const app = ['file:///srv/app/dist/main.js', 'file:///srv/app/node_modules/pino/pino.js', 'node:http'];

  it('finds OpenTelemetry packages and the module hooks that come with them, nothing else', () => {
    const otel = [
      'file:///srv/app/node_modules/@opentelemetry/api/dist/index.mjs',
      '/srv/app/node_modules/@opentelemetry/sdk-trace/build/src/index.js',
      'file:///srv/app/node_modules/import-in-the-middle/index.js',
      '/srv/app/node_modules/require-in-the-middle/index.js',
    ];
    expect(openTelemetryModules([...app, ...otel])).toEqual(otel);
    expect(openTelemetryModules(app)).toEqual([]);
  });

  it('passes a clean baseline and fails one that loaded OpenTelemetry, or recorded nothing', () => {
    expect(() => assertNoOpenTelemetry(app)).not.toThrow();
    expect(() => assertNoOpenTelemetry([...app, 'file:///x/node_modules/@opentelemetry/api/dist/index.mjs'])).toThrow(
      /loaded 1 OpenTelemetry modules, so it is no baseline/,
    );
    expect(() => assertNoOpenTelemetry([])).toThrow(/no module at all/);
  });
});
