import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, toolBinary } from '@otelkit/native-runtime';

export interface K6Run {
  exitCode: number | null;
  /** k6's --summary-export document: metrics with their values and threshold verdicts. */
  summary: {
    metrics: Record<string, Record<string, unknown> & { thresholds?: Record<string, boolean> }>;
  };
  output: string;
}

/**
 * How k6 writes to Prometheus (`--out experimental-prometheus-rw`) wherever it runs: here, in docker-compose.yml's
 * k6 service and in demo/chart's k6 Job (stack/test/config.test.ts checks both carry it). Trends go as native
 * histograms, so the k6 dashboard's p95 is a `histogram_quantile` over the same window as the service's own p95,
 * not k6's p95 since the start of the run; Prometheus 3's remote-write receiver stores native histograms with no
 * flag.
 */
export const K6_REMOTE_WRITE_ENV = { K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM: 'true' } as const;

/**
 * Runs a scenario of loadtest/scenarios with the pinned k6 against a local BASE_URL, optionally writing its metrics
 * to Prometheus' remote-write receiver (as compose's load-test profile does). Bounded by k6's own scenario duration.
 */
export async function runK6(options: {
  /** A scenario of loadtest/scenarios, by name... */
  scenario?: string;
  /** ...or the absolute path of another k6 script (the benchmark's). */
  script?: string;
  baseUrl: string;
  prometheusUrl?: string;
  env?: Record<string, string>;
  testId?: string;
}): Promise<K6Run> {
  const dir = mkdtempSync(join(tmpdir(), 'otelkit-k6-'));
  const summaryFile = join(dir, 'summary.json');
  const args = [
    'run',
    '--quiet',
    '--no-color',
    `--summary-export=${summaryFile}`,
    '--tag',
    `testid=${options.testId ?? 'e2e'}`,
  ];
  if (options.prometheusUrl) args.push('--out', 'experimental-prometheus-rw');
  for (const [key, value] of Object.entries({ BASE_URL: options.baseUrl, ...options.env }))
    args.push('-e', `${key}=${value}`);
  if (options.script === undefined && options.scenario === undefined) throw new Error('runK6: no scenario or script');
  const script = options.script ?? join(REPO_ROOT, 'loadtest', 'scenarios', `${options.scenario}.ts`);
  args.push(script);
  const child = spawn(toolBinary('k6'), args, {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      ...(options.prometheusUrl
        ? {
            K6_PROMETHEUS_RW_SERVER_URL: `${options.prometheusUrl}/api/v1/write`,
            ...K6_REMOTE_WRITE_ENV,
            K6_PROMETHEUS_RW_PUSH_INTERVAL: '2s',
          }
        : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => {
    output += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    output += c.toString();
  });
  const exitCode = await new Promise<number | null>((resolve) => child.once('close', resolve));
  try {
    const summary = JSON.parse(readFileSync(summaryFile, 'utf8')) as K6Run['summary'];
    return { exitCode, summary, output };
  } catch {
    throw new Error(`k6 wrote no summary (exit ${exitCode}):\n${output.slice(-4000)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
