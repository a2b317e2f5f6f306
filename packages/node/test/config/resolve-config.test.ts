import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { resolveConfig } from '../../src/config/resolve-config.js';
import { DEFAULT_INSTRUMENTATIONS, DEFAULT_METRICS_PORT } from '../../src/names.js';

/** No entry script (''): the service's identity comes from the environment and options only. */
const resolve = (env: Record<string, string>, options = {}) => resolveConfig({ ...options, env }, env, '');

function problemsOf(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('resolveConfig', () => {
  it('has documented defaults with an empty environment', () => {
    const config = resolve({});
    expect(config.serviceName).toBe('unknown_service:node');
    expect(config.traces.endpoint).toBe('http://localhost:4317');
    expect(config.traces.sampler).toBe('parentbased_always_on');
    expect(config.traces.maxQueueSize).toBe(2048);
    expect(config.traces.compression).toBe('none');
    expect(resolve({ OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip' }).traces.compression).toBe('gzip');
    expect(config.metrics).toMatchObject({ server: true, host: '0.0.0.0', port: DEFAULT_METRICS_PORT, runtime: true });
    expect([...config.instrumentations]).toEqual(DEFAULT_INSTRUMENTATIONS);
    expect(config.ignorePaths).toEqual(['/healthz', '/readyz', '/livez', '/metrics']);
    expect(config.shutdownTimeoutMillis).toBe(5000);
    expect(config.expressLayerSpans).toBe(false);
    expect(config.requestLog).toBe(false);
  });

  it("selects the prom-client metrics' serializer, otelkit's by default", () => {
    expect(resolve({}).metrics.serializer).toBe('otelkit');
    expect(resolve({ OTELKIT_METRICS_SERIALIZER: 'prom-client' }).metrics.serializer).toBe('prom-client');
    expect(resolve({}, { metrics: { serializer: 'prom-client' } }).metrics.serializer).toBe('prom-client');
    expect(problemsOf(() => resolve({ OTELKIT_METRICS_SERIALIZER: 'fast' }))).toHaveLength(1);
  });

  it('turns Express layer spans on from the environment or an option, and rejects a non-boolean', () => {
    expect(resolve({ OTELKIT_EXPRESS_LAYER_SPANS: 'true' }).expressLayerSpans).toBe(true);
    expect(resolve({ OTELKIT_EXPRESS_LAYER_SPANS: 'true' }, { expressLayerSpans: false }).expressLayerSpans).toBe(
      false,
    );
    expect(problemsOf(() => resolve({ OTELKIT_EXPRESS_LAYER_SPANS: 'yes please' }))).toHaveLength(1);
  });

  it('reads when to register the ESM loader hook', () => {
    expect(resolve({}).esmHook).toBe('auto');
    expect(resolve({ OTELKIT_ESM_HOOK: 'FALSE' }).esmHook).toBe(false);
    expect(resolve({ OTELKIT_ESM_HOOK: 'true' }).esmHook).toBe(true);
    expect(resolve({ OTELKIT_ESM_HOOK: 'false' }, { esmHook: true }).esmHook).toBe(true);
    expect(resolve({ OTELKIT_ESM_HOOK: 'true' }, { esmHook: 'auto' }).esmHook).toBe('auto');
    expect(problemsOf(() => resolve({ OTELKIT_ESM_HOOK: 'always' }))[0]?.expected).toBe('one of auto, true, false');
  });

  it('reads the standard OTEL_* variables', () => {
    const config = resolve({
      OTEL_SERVICE_NAME: 'checkout',
      OTEL_RESOURCE_ATTRIBUTES: 'service.version=1.2.3,deployment.environment.name=prod%20eu',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4317',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.1',
      OTEL_BSP_MAX_QUEUE_SIZE: '100',
      OTEL_EXPORTER_PROMETHEUS_PORT: '9999',
      OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20x',
    });
    expect(config.serviceName).toBe('checkout');
    expect(config.serviceVersion).toBe('1.2.3');
    expect(config.resourceAttributes['deployment.environment.name']).toBe('prod eu');
    expect(config.traces).toMatchObject({
      endpoint: 'http://collector:4317',
      sampler: 'parentbased_traceidratio',
      samplerRatio: 0.1,
      maxQueueSize: 100,
      headers: { authorization: 'Bearer x' },
    });
    expect(config.metrics.port).toBe(9999);
  });

  it('prefers the signal-specific endpoint and typed options over the environment', () => {
    const env = {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://generic:4317',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://traces:4317',
      OTEL_SERVICE_NAME: 'from-env',
    };
    expect(resolve(env).traces.endpoint).toBe('http://traces:4317');
    const config = resolve(env, { serviceName: 'from-options', traces: { endpoint: 'https://opt:4317' } });
    expect(config.serviceName).toBe('from-options');
    expect(config.traces.endpoint).toBe('https://opt:4317');
  });

  it('names every invalid variable and its accepted values, all at once', () => {
    const problems = problemsOf(() =>
      resolve({
        OTEL_TRACES_SAMPLER: 'sometimes',
        OTEL_TRACES_SAMPLER_ARG: '1.5',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4317',
        OTEL_BSP_MAX_QUEUE_SIZE: '12abc',
        OTEL_SDK_DISABLED: 'yes',
      }),
    );
    const bySource = Object.fromEntries(problems.map((p) => [p.source, p.expected]));
    expect(bySource.OTEL_TRACES_SAMPLER).toContain('parentbased_traceidratio');
    expect(bySource.OTEL_TRACES_SAMPLER_ARG).toBe('a number from 0 to 1');
    expect(bySource.OTEL_EXPORTER_OTLP_ENDPOINT).toContain('http');
    expect(bySource.OTEL_BSP_MAX_QUEUE_SIZE).toContain('integer');
    expect(bySource.OTEL_SDK_DISABLED).toBe('true or false');
  });

  it('puts variable, value and accepted values in the error message', () => {
    expect(() => resolve({ OTEL_TRACES_EXPORTER: 'jaeger' })).toThrow(
      /OTEL_TRACES_EXPORTER="jaeger": expected one of otlp, console, none/,
    );
  });

  it('rejects non-gRPC OTLP protocols', () => {
    expect(() => resolve({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' })).toThrow(/OTEL_EXPORTER_OTLP_PROTOCOL/);
    expect(resolve({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }).traces.exporter).toBe('otlp');
  });

  it('validates typed options too, naming the option path', () => {
    const problems = problemsOf(() => resolveConfig({ env: {}, traces: { samplerRatio: 2 } }));
    expect(problems).toEqual([{ source: 'options.traces.samplerRatio', value: 2, expected: 'a number from 0 to 1' }]);
  });

  it('selects instrumentations like the upstream variables do', () => {
    expect([...resolve({ OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http,express,fs' }).instrumentations]).toEqual([
      'http',
      'express',
      'fs',
    ]);
    expect([...resolve({ OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'pino,undici' }).instrumentations]).toEqual([
      'http',
      'pg',
    ]);
    expect(() => resolve({ OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http,mongodb' })).toThrow(
      /OTEL_NODE_ENABLED_INSTRUMENTATIONS="http,mongodb": expected a comma-separated list of http, express, pg/,
    );
  });

  it('enables the Express instrumentation for layer spans only, unless it is disabled by name', () => {
    expect(resolve({}).instrumentations.has('express')).toBe(false);
    expect(resolve({ OTELKIT_EXPRESS_LAYER_SPANS: 'true' }).instrumentations.has('express')).toBe(true);
    expect(
      resolve({
        OTELKIT_EXPRESS_LAYER_SPANS: 'true',
        OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'express',
      }).instrumentations.has('express'),
    ).toBe(false);
    expect(resolveConfig({ env: {}, instrumentations: ['http'], expressLayerSpans: true }).instrumentations).toEqual(
      new Set(['http', 'express']),
    );
  });

  it('rejects malformed OTEL_RESOURCE_ATTRIBUTES', () => {
    expect(() => resolve({ OTEL_RESOURCE_ATTRIBUTES: 'novalue' })).toThrow(/OTEL_RESOURCE_ATTRIBUTES/);
    expect(() => resolve({ OTEL_RESOURCE_ATTRIBUTES: 'a=%E0%A4%A' })).toThrow(/percent-encoded/);
  });

  it('requires ignored paths to be absolute', () => {
    expect(() => resolve({ OTELKIT_IGNORE_PATHS: '/healthz,status' })).toThrow(/OTELKIT_IGNORE_PATHS="status"/);
  });

  it('gives options and variables the same types: booleans are booleans on both sides', () => {
    const fromEnv = resolve({ OTELKIT_ESM_HOOK: 'false', OTELKIT_REQUEST_LOG: 'TRUE', OTEL_SDK_DISABLED: 'false' });
    const fromOptions = resolve({}, { esmHook: false, requestLog: true, disabled: false });
    for (const key of ['esmHook', 'requestLog', 'disabled'] as const) {
      expect(typeof fromEnv[key], key).toBe('boolean');
      expect(fromEnv[key], key).toBe(fromOptions[key]);
    }
    expect(problemsOf(() => resolve({}, { esmHook: 'true' as never }))[0]?.source).toBe('options.esmHook');
  });

  it('takes OTLP headers from the variables and the headers option, the option winning per key', () => {
    const env = { OTEL_EXPORTER_OTLP_HEADERS: 'x-tenant=a,authorization=Basic%20b' };
    expect(resolve(env).traces.headers).toEqual({ 'x-tenant': 'a', authorization: 'Basic b' });
    expect(resolve(env, { traces: { headers: { authorization: 'Bearer c' } } }).traces.headers).toEqual({
      'x-tenant': 'a',
      authorization: 'Bearer c',
    });
    expect(resolve({}, { traces: { headers: { 'api-key': 'k' } } }).traces.headers).toEqual({ 'api-key': 'k' });
    expect(problemsOf(() => resolve({}, { traces: { headers: { n: 1 as never } } }))[0]?.source).toBe(
      'options.traces.headers',
    );
  });

  it("reads the logger's level and format like every other setting", () => {
    expect(resolve({})).toMatchObject({ logLevel: 'info', logFormat: 'auto' });
    expect(resolve({ OTELKIT_LOG_LEVEL: 'debug', OTELKIT_LOG_FORMAT: 'JSON' })).toMatchObject({
      logLevel: 'debug',
      logFormat: 'json',
    });
    expect(resolve({ OTELKIT_LOG_FORMAT: 'json' }, { logFormat: 'pretty' }).logFormat).toBe('pretty');
    expect(problemsOf(() => resolve({ OTELKIT_LOG_FORMAT: 'xml', OTELKIT_LOG_LEVEL: 'loud' }))).toHaveLength(2);
  });

  it('reads the Kubernetes variables into the config (the resource builder reads no environment)', () => {
    expect(resolve({ OTELKIT_K8S_POD_NAME: 'p-1' }).kubernetes.attributes).toEqual({ 'k8s.pod.name': 'p-1' });
    expect(resolve({}).kubernetes).toEqual({ attributes: {}, legacyVariables: [] });
  });

  it("names the service after the entry script's package.json, not npm's npm_package_name", () => {
    const dir = mkdtempSync(join(tmpdir(), 'otelkit-identity-'));
    try {
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'orders-api', version: '2.1.0' }));
      mkdirSync(join(dir, 'dist'));
      writeFileSync(join(dir, 'dist', 'package.json'), JSON.stringify({ type: 'module' })); // no name: skipped
      const entry = join(dir, 'dist', 'main.js');
      const npmEnv = { npm_package_name: 'monorepo-root', npm_package_version: '9.9.9' };
      for (const env of [{}, npmEnv]) {
        expect(resolveConfig({ env }, env, entry)).toMatchObject({
          serviceName: 'orders-api',
          serviceVersion: '2.1.0',
        });
      }
      expect(resolveConfig({ env: npmEnv }, npmEnv, '')).toMatchObject({
        serviceName: 'unknown_service:node',
        serviceVersion: undefined,
      });
      const named = { OTEL_SERVICE_NAME: 'orders' };
      expect(resolveConfig({ env: named }, named, entry)).toMatchObject({
        serviceName: 'orders',
        serviceVersion: '2.1.0',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
