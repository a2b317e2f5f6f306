import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type AppProcess, OtlpGrpcReceiver, startApp } from '@otelkit/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EXEMPLAR_TRACE_ID_LABEL } from '../src/names.js';
import { OTLP_KIND } from './helpers.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const repoRoot = join(packageDir, '..', '..');
const OPENMETRICS = 'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5';
let project: string;
let receiver: OtlpGrpcReceiver;
let packedFiles: string[] = [];

/** The Node lines `engines` admits, each tested: the repository's own (24) and the one tools/node-line.sh pins. */
const NODE_LINES: Array<{ line: number; node: () => string }> = [
  { line: 24, node: () => process.execPath },
  { line: 22, node: () => nodeOfLine(22) },
];
const binaries = new Map<number, string>();
const nodeOfLine = (line: number) => {
  let node = binaries.get(line);
  if (node === undefined) {
    node = execFileSync('bash', [join(repoRoot, 'tools', 'node-line.sh'), String(line)], { encoding: 'utf8' }).trim();
    binaries.set(line, node);
  }
  return node;
};

/** The consumer's ES module app: Express, otelkit's light logger and shutdown, a graceful SIGTERM. */
const ESM_APP = `
import express from 'express';
import { METRICS } from '@otelkit/node/names';
import { createLogger } from '@otelkit/node/logger';
import { shutdown } from '@otelkit/node/shutdown';
const log = createLogger();
const app = express();
app.get('/orders/:id', (req, res) => {
  log.info({ order: req.params.id }, 'order');
  res.json({ id: req.params.id, metric: METRICS.httpServerDuration, node: process.version });
});
const server = app.listen(Number(process.env.PORT), '127.0.0.1', () => log.info('listening'));
process.on('SIGTERM', () => server.close(async () => { await shutdown(); log.info('drained'); }));
`;

/** The consumer's CommonJS app: require() of Express and of otelkit's logger. */
const CJS_APP = `
const express = require('express');
const { createLogger } = require('@otelkit/node/logger');
const log = createLogger();
const app = express();
app.get('/users/:id', (req, res) => res.json({ id: req.params.id, node: process.version }));
app.listen(Number(process.env.PORT), '127.0.0.1', () => log.info('listening'));
`;

beforeAll(async () => {
  for (const { node } of NODE_LINES) node(); // fetch (once, cached) before the time-bounded tests
  project = mkdtempSync(join(tmpdir(), 'otelkit-consumer-'));
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', project], { cwd: packageDir, encoding: 'utf8' }),
  ) as Array<{ filename: string; files: Array<{ path: string }> }>;
  packedFiles = packed[0]?.files.map((f) => f.path) ?? [];
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module', dependencies: { express: '^5.0.0' } }),
  );
  const tarball = join(project, packed[0]?.filename ?? '');
  execFileSync('npm', ['install', '--no-audit', '--no-fund', tarball], { cwd: project, stdio: 'pipe' });
  writeFileSync(join(project, 'app.mjs'), ESM_APP);
  writeFileSync(join(project, 'app.cjs'), CJS_APP);
  receiver = await new OtlpGrpcReceiver().start();
}, 240_000);

afterAll(async () => {
  await receiver?.stop();
  rmSync(project, { recursive: true, force: true });
});

describe('the published package', () => {
  it('ships only the build, its types, the README and the licence', () => {
    expect(packedFiles).toContain('dist/register.js');
    expect(packedFiles).toContain('dist/logger.js');
    expect(packedFiles).toContain('dist/index.d.ts');
    expect(packedFiles).toContain('README.md');
    expect(packedFiles).toContain('LICENSE');
    expect(packedFiles.filter((f) => !/^(dist\/.*\.(js|d\.ts)|README\.md|LICENSE|package\.json)$/.test(f))).toEqual([]);
    expect(readdirSync(join(project, 'node_modules', '@otelkit'))).toEqual(['node']);
  });
});

describe.each(NODE_LINES)('installed in a fresh project, on Node $line', ({ line, node }) => {
  let app: AppProcess | undefined;
  afterEach(async () => {
    await app?.stop();
    app = undefined;
  });
  const service = (kind: string) => `consumer-${kind}-node${line}`;
  const start = (script: string, env: Record<string, string> = {}) =>
    startApp({
      node: node(),
      script: join(project, script),
      cwd: project,
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, ...env },
    });

  it('runs that Node line', () => {
    expect(execFileSync(node(), ['--version'], { encoding: 'utf8' })).toMatch(new RegExp(`^v${line}\\.`));
  });

  it('instruments an ES module app with --import: route span, correlated log line, RED histogram with exemplar', async () => {
    app = await start('app.mjs', { OTEL_SERVICE_NAME: service('esm') });
    const body = (await (await fetch(app.url('/orders/7'))).json()) as Record<string, string>;
    expect(body).toEqual({
      id: '7',
      metric: 'http_server_request_duration_seconds',
      node: expect.stringMatching(`^v${line}\\.`),
    });
    const spans = await receiver.waitFor((all) =>
      all.some((s) => s.resource['service.name'] === service('esm') && s.kind === OTLP_KIND.server),
    );
    const span = spans.find((s) => s.resource['service.name'] === service('esm') && s.kind === OTLP_KIND.server);
    expect(span?.name).toBe('GET /orders/:id');
    const logLine = await app.waitForLog((l) => l.msg === 'order');
    expect(logLine).toMatchObject({ order: '7', trace_id: span?.traceId, span_id: span?.spanId });
    const metrics = await (await fetch(app.metricsUrl(), { headers: { Accept: OPENMETRICS } })).text();
    expect(metrics).toContain('http_route="/orders/:id"');
    expect(metrics).toContain(`# {${EXEMPLAR_TRACE_ID_LABEL}="${span?.traceId}"`);
  });

  it('flushes the last spans when the app shuts itself down on SIGTERM with shutdown()', async () => {
    // Spans leave only by the shutdown flush: the batch delay is far beyond the test.
    app = await start('app.mjs', { OTEL_SERVICE_NAME: service('shutdown'), OTEL_BSP_SCHEDULE_DELAY: '600000' });
    await (await fetch(app.url('/orders/8'))).arrayBuffer();
    app.child.kill('SIGTERM');
    expect(await app.exited).toEqual({ code: 0, signal: null });
    expect(app.logs.some((l) => l.msg === 'drained')).toBe(true);
    const spans = await receiver.waitFor((all) => all.some((s) => s.resource['service.name'] === service('shutdown')));
    expect(spans.find((s) => s.resource['service.name'] === service('shutdown'))?.name).toBe('GET /orders/:id');
  });

  it('instruments a CommonJS app with --import (require of Express and of the logger)', async () => {
    app = await start('app.cjs', { OTEL_SERVICE_NAME: service('cjs') });
    expect(await (await fetch(app.url('/users/1'))).json()).toEqual({
      id: '1',
      node: expect.stringMatching(`^v${line}\\.`),
    });
    const spans = await receiver.waitFor((all) =>
      all.some((s) => s.resource['service.name'] === service('cjs') && s.kind === OTLP_KIND.server),
    );
    expect(spans.find((s) => s.resource['service.name'] === service('cjs') && s.kind === OTLP_KIND.server)?.name).toBe(
      'GET /users/:id',
    );
  });
});
