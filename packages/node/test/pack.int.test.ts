import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { containerDetector } from '@opentelemetry/resource-detector-container';
import { detectResources, hostDetector } from '@opentelemetry/resources';
import { REPO_ROOT } from '@otelkit/native-runtime';
import { CLUSTER, JOBS, STACK } from '@otelkit/stack-topology';
import { type AppProcess, OtlpGrpcReceiver, type ReceivedValue, startApp } from '@otelkit/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  EXEMPLAR_TRACE_ID_LABEL,
  K8S_ENV,
  LEGACY_K8S_ENV_WARNING_CODE,
  RESOURCE_ATTRIBUTES as R,
} from '../src/names.js';
import { OTLP_KIND } from './helpers.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const OPENMETRICS = 'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5';
let project: string;
let receiver: OtlpGrpcReceiver;
let packedFiles: string[] = [];
/** The app of the resource tests (exportedResource), stopped after each. */
let app: AppProcess | undefined;

/** The Node lines `engines` admits, each tested: the repository's own (24) and the one tools/node-line.sh pins. */
const NODE_LINES: Array<{ line: number; node: () => string }> = [
  { line: 24, node: () => process.execPath },
  { line: 22, node: () => nodeOfLine(22) },
];
const binaries = new Map<number, string>();
const nodeOfLine = (line: number) => {
  let node = binaries.get(line);
  if (node === undefined) {
    node = execFileSync('bash', [join(REPO_ROOT, 'tools', 'node-line.sh'), String(line)], { encoding: 'utf8' }).trim();
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

/** Starts otelkit, prints the service name it resolved, stops. */
const IDENTITY_APP = `
import { start } from '@otelkit/node';
const handle = start({ traces: { exporter: 'none' }, metrics: { server: false }, handleSignals: false });
console.log(JSON.stringify({ serviceName: handle.config.serviceName }));
await handle.shutdown();
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
    JSON.stringify({
      name: 'consumer',
      private: true,
      type: 'module',
      scripts: { identity: 'node identity.mjs' },
      dependencies: { express: '^5.0.0' },
    }),
  );
  const tarball = join(project, packed[0]?.filename ?? '');
  execFileSync('npm', ['install', '--no-audit', '--no-fund', tarball], { cwd: project, stdio: 'pipe' });
  writeFileSync(join(project, 'app.mjs'), ESM_APP);
  writeFileSync(join(project, 'app.cjs'), CJS_APP);
  writeFileSync(join(project, 'identity.mjs'), IDENTITY_APP);
  receiver = await new OtlpGrpcReceiver().start();
}, 240_000);

afterAll(async () => {
  await app?.stop();
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

  it('contains nothing of the demo stack: no file named after it, none of its names or topology', () => {
    expect(packedFiles.filter((f) => /\b(demo|stack|topology)\b/i.test(f))).toEqual([]);
    const installed = join(project, 'node_modules', '@otelkit', 'node');
    const demoNames = [
      ...new Set([
        ...Object.values(STACK).map((component) => component.service),
        ...Object.values(JOBS),
        STACK.postgres.user,
        CLUSTER.demoNamespace,
      ]),
      // the upstream products and the kit's own name are not the demo's
    ].filter((name) => !['prometheus', 'jaeger', 'grafana', 'postgres', 'otelkit'].includes(name));
    expect(demoNames).toContain('otelkit-demo');
    for (const file of packedFiles) {
      const text = readFileSync(join(installed, file), 'utf8');
      expect(text, file).not.toMatch(/\bdemo\b/i);
      expect(text, file).not.toMatch(/\b(STACK|JOBS|DATASOURCE_UIDS|CLUSTER)\b/);
      for (const name of demoNames)
        expect(text.includes(`'${name}'`) || text.includes(`"${name}"`), `${file}: ${name}`).toBe(false);
    }
  });
});

describe('the service name', () => {
  it("is the package's name under `npm run` and under `node` alike (npm's npm_package_name is not read)", () => {
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' };
    const lastJson = (out: string) => JSON.parse(out.trim().split('\n').at(-1) ?? '') as { serviceName: string };
    const viaNode = lastJson(execFileSync(process.execPath, ['identity.mjs'], { cwd: project, env, encoding: 'utf8' }));
    const viaNpm = lastJson(
      execFileSync('npm', ['run', '--silent', 'identity'], { cwd: project, env, encoding: 'utf8' }),
    );
    expect(viaNode.serviceName).toBe('consumer');
    expect(viaNpm.serviceName).toBe('consumer');
    const underNpmOfAnother = lastJson(
      execFileSync(process.execPath, ['identity.mjs'], {
        cwd: project,
        env: { ...env, npm_package_name: 'some-monorepo-root' },
        encoding: 'utf8',
      }),
    );
    expect(underNpmOfAnother.serviceName).toBe('consumer');
  });
});

describe('the resource the installed package reports (Node 24)', () => {
  it('reports the true resource under a hostile environment: SDK identity, no k8s.*, a per-process instance id', async () => {
    // variables that many CI runners, hosts and tools set for their own purposes
    const hostile = {
      CONTAINER_NAME: 'build-runner',
      NODE_NAME: 'ci-worker-7',
      POD_NAME: 'nightly',
      POD_NAMESPACE: 'team-a',
      POD_IP: '192.0.2.10',
    };
    const first = await exportedResource(hostile);
    expect(first.resource).toEqual({
      ...(await expectedResource(first)),
      'service.instance.id': expect.stringMatching(UUID_V4),
    });
    expect(Object.keys(first.resource).filter((key) => key.startsWith('k8s.'))).toEqual([]);
    expect(first.stderr).toBe('');
    const second = await exportedResource(hostile);
    expect(second.resource['service.instance.id'], 'one id per process').not.toBe(
      first.resource['service.instance.id'],
    );
  });

  it("reports the pod's metadata from the kit's downward-API variables, the pod uid as service.instance.id", async () => {
    const pod: Record<string, string> = {
      [R.k8sPodName]: 'checkout-5d8f7c9b4d-x2k4p',
      [R.k8sNamespaceName]: 'shop',
      [R.k8sPodUid]: '0b7c6f1e-2a3d-4c5b-9e8f-7a6b5c4d3e2f',
      [R.k8sPodIp]: '10.42.0.17',
      [R.k8sNodeName]: 'node-a',
      [R.k8sContainerName]: 'checkout',
    };
    const env = Object.fromEntries(Object.entries(K8S_ENV).map(([variable, attribute]) => [variable, pod[attribute]]));
    const run = await exportedResource({ ...env, CONTAINER_NAME: 'unrelated' });
    expect(Object.keys(env).sort()).toEqual(Object.keys(K8S_ENV).sort());
    expect(run.resource).toEqual({
      ...(await expectedResource(run)),
      ...pod,
      [R.serviceInstanceId]: pod[R.k8sPodUid],
    });
    expect(run.stderr).toBe('');
  });

  it('still reads the deprecated complete set (pod name, namespace, uid), with a DeprecationWarning', async () => {
    const run = await exportedResource({ POD_NAME: 'api-1', POD_NAMESPACE: 'shop', POD_UID: 'uid-1', NODE_NAME: 'n1' });
    expect(run.resource).toEqual({
      ...(await expectedResource(run)),
      [R.k8sPodName]: 'api-1',
      [R.k8sNamespaceName]: 'shop',
      [R.k8sPodUid]: 'uid-1',
      [R.k8sNodeName]: 'n1',
      [R.serviceInstanceId]: 'uid-1',
    });
    expect(run.stderr).toContain(`[${LEGACY_K8S_ENV_WARNING_CODE}] DeprecationWarning`);
    expect(run.stderr).toContain('POD_NAME -> OTELKIT_K8S_POD_NAME');
  });
});

describe.each(NODE_LINES)('installed in a fresh project, on Node $line', ({ line, node }) => {
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

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

interface ExportedResource {
  resource: Record<string, ReceivedValue>;
  pid: number;
  stderr: string;
}

/** Runs the consumer app with `env`, serves one request and returns the resource of the server span received. */
async function exportedResource(env: Record<string, string>): Promise<ExportedResource> {
  await app?.stop();
  receiver.spans.length = 0;
  app = await startApp({
    script: join(project, 'app.mjs'),
    cwd: project,
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_SERVICE_NAME: 'consumer', ...env },
  });
  expect((await fetch(app.url('/orders/8'))).status).toBe(200);
  const spans = await receiver.waitFor((all) => all.some((s) => s.kind === OTLP_KIND.server));
  const resource = spans.find((s) => s.kind === OTLP_KIND.server)?.resource ?? {};
  await app.stop();
  return { resource, pid: app.child.pid ?? -1, stderr: app.stderr };
}

/**
 * The resource the consumer app must report outside Kubernetes, every attribute known independently of the kit: the
 * SDK's identity from the @opentelemetry/core the project installed, host and container id from upstream's own
 * detectors run in this process (same host, same cgroup), the process's facts from how it was started.
 * `service.instance.id` is left to the caller.
 */
async function expectedResource(run: ExportedResource): Promise<Record<string, ReceivedValue>> {
  const core = JSON.parse(
    readFileSync(join(project, 'node_modules', '@opentelemetry', 'core', 'package.json'), 'utf8'),
  ) as { version: string };
  const host = detectResources({ detectors: [hostDetector, containerDetector] });
  await host.waitForAsyncAttributes?.();
  const script = join(project, 'app.mjs');
  return {
    ...(host.attributes as Record<string, ReceivedValue>),
    [R.telemetrySdkName]: 'opentelemetry',
    [R.telemetrySdkLanguage]: 'nodejs',
    [R.telemetrySdkVersion]: core.version,
    [R.serviceName]: 'consumer',
    'process.pid': run.pid,
    'process.executable.name': process.execPath,
    'process.executable.path': process.execPath,
    'process.command_args': [process.execPath, '--import', '@otelkit/node/register', script],
    'process.command': script,
    'process.runtime.name': 'nodejs',
    'process.runtime.version': process.versions.node,
    'process.runtime.description': 'Node.js',
    'process.owner': userInfo().username,
  };
}
