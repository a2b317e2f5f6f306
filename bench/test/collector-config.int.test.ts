import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT, toolBinary, waitUntil } from '@otelkit/native-runtime';
import { afterAll, describe, expect, it } from 'vitest';
import { acceptedSpans, benchCollector, freeCollectorPorts } from '../src/bench-collector.js';
import { COLLECTOR_CONFIG } from '../src/paths.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'otelkit-bench-collector-'));
const env = {
  PATH: process.env.PATH ?? '',
  BENCH_COLLECTOR_OTLP_GRPC_PORT: '1',
  BENCH_COLLECTOR_HEALTH_PORT: '2',
  BENCH_COLLECTOR_METRICS_PORT: '3',
};
const validate = (config: string) => run(toolBinary('otelcol-otelkit'), ['validate', `--config=${config}`], { env });

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bench/collector.bench.yaml', () => {
  it('passes `otelcol-otelkit validate` with our collector distribution', async () => {
    await expect(validate(COLLECTOR_CONFIG)).resolves.toBeDefined();
  });

  it('is really checked: validate refuses a broken copy', async () => {
    const broken = join(dir, 'broken.yaml');
    writeFileSync(
      broken,
      readFileSync(COLLECTOR_CONFIG, 'utf8').replace('verbosity: basic', 'verbosity: basic\n    no_such_setting: 1'),
    );
    await expect(validate(broken)).rejects.toThrow(/no_such_setting/);
  });

  it('accepts OTLP spans, counts them and logs none of them', async () => {
    const ports = await freeCollectorPorts();
    const collector = benchCollector(ports, join(dir, 'logs'));
    try {
      await collector.start();
      expect(await acceptedSpans(ports)).toBe(0);
      await run(
        process.execPath,
        ['--import', '@otelkit/node/register', join(import.meta.dirname, 'fixtures', 'one-span.mjs')],
        {
          cwd: REPO_ROOT,
          env: {
            PATH: process.env.PATH ?? '',
            OTEL_SERVICE_NAME: 'bench-test',
            OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${ports.otlpGrpc}`,
            OTELKIT_METRICS_SERVER: 'false',
          },
        },
      );
      await waitUntil(async () => (await acceptedSpans(ports)) === 1, { what: 'the collector to count the span' });
      // the debug exporter is sampled to log nothing
      expect(collector.output).not.toMatch(/Traces|#spans|resource spans/i);
    } finally {
      await collector.stop();
    }
  });
});
