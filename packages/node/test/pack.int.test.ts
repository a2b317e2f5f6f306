import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type AppProcess, OtlpGrpcReceiver, startApp } from '@otelkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OTLP_KIND } from './helpers.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
let project: string;
let tarball: string;
let receiver: OtlpGrpcReceiver;
let app: AppProcess | undefined;

beforeAll(async () => {
  project = mkdtempSync(join(tmpdir(), 'otelkit-consumer-'));
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', project], { cwd: packageDir, encoding: 'utf8' }),
  ) as Array<{ filename: string; files: Array<{ path: string }> }>;
  tarball = join(project, packed[0]?.filename ?? '');
  (globalThis as { packedFiles?: string[] }).packedFiles = packed[0]?.files.map((f) => f.path);
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module', dependencies: { express: '^5.0.0' } }),
  );
  execFileSync('npm', ['install', '--no-audit', '--no-fund', tarball], { cwd: project, stdio: 'pipe' });
  writeFileSync(
    join(project, 'app.mjs'),
    [
      "import express from 'express';",
      "import { METRICS } from '@otelkit/node/names';",
      "import { createLogger } from '@otelkit/node';",
      'const log = createLogger();',
      'const app = express();',
      "app.get('/orders/:id', (req, res) => res.json({ id: req.params.id, metric: METRICS.httpServerDuration }));",
      "const server = app.listen(Number(process.env.PORT), '127.0.0.1', () => log.info('listening'));",
    ].join('\n'),
  );
  receiver = await new OtlpGrpcReceiver().start();
}, 180_000);

afterAll(async () => {
  await app?.stop();
  await receiver?.stop();
  rmSync(project, { recursive: true, force: true });
});

describe('the published package', () => {
  it('ships only the build, its types, the README and the licence', () => {
    const files = (globalThis as { packedFiles?: string[] }).packedFiles ?? [];
    expect(files).toContain('dist/register.js');
    expect(files).toContain('dist/index.d.ts');
    expect(files).toContain('README.md');
    expect(files).toContain('LICENSE');
    expect(files.filter((f) => !/^(dist\/.*\.(js|d\.ts)|README\.md|LICENSE|package\.json)$/.test(f))).toEqual([]);
  });

  it('installs in a fresh project outside this repository and instruments it with --import', async () => {
    expect(readdirSync(join(project, 'node_modules', '@otelkit'))).toEqual(['node']);
    app = await startApp({
      script: join(project, 'app.mjs'),
      cwd: project,
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_SERVICE_NAME: 'consumer' },
    });
    expect(await (await fetch(app.url('/orders/7'))).json()).toEqual({
      id: '7',
      metric: 'http_server_request_duration_seconds',
    });
    const spans = await receiver.waitFor((all) => all.some((s) => s.kind === OTLP_KIND.server));
    expect(spans.find((s) => s.kind === OTLP_KIND.server)?.name).toBe('GET /orders/:id');
    expect(await (await fetch(app.metricsUrl())).text()).toContain('http_route="/orders/:id"');
  });
});
