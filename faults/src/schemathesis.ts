import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pythonToolPath } from '@otelkit/native-runtime';

/** What a schemathesis run reports (its `--report json` document, the fields the fault suite reads). */
export interface SchemathesisReport {
  exit_code: number;
  complete: boolean;
  operations: { total: number; tested: number; errored: number };
  test_cases: { generated: number; with_failures: number; unique_failures: number; errored: number };
  failures: Array<{ code: string; title: string; count: number; operations: string[] }>;
  errors: unknown[];
}

export interface SchemathesisRun {
  exitCode: number | null;
  report: SchemathesisReport;
  output: string;
}

/** The pinned schemathesis CLI (tools/install-python-tools.sh). */
export function schemathesisBinary(): string {
  const path = pythonToolPath('st');
  if (!existsSync(path)) throw new Error('schemathesis is not installed: run `bash tools/install-python-tools.sh`');
  return path;
}

/**
 * `st run <openapi URL>` with the given checks, phases and examples per operation, a fixed seed (the same cases on
 * every run), and its JSON report read back. Targets the local demo only; bounded by the number of examples.
 */
export async function runSchemathesis(options: {
  openapiUrl: string;
  checks: readonly string[];
  phases: readonly string[];
  maxExamples: number;
  seed?: number;
  workers?: number;
}): Promise<SchemathesisRun> {
  if (!/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(options.openapiUrl)) {
    throw new Error(`schemathesis targets only the local demo, not ${options.openapiUrl}`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'otelkit-st-'));
  const reportPath = join(dir, 'report.json');
  const args = [
    'run',
    options.openapiUrl,
    `--checks=${options.checks.join(',')}`,
    `--phases=${options.phases.join(',')}`,
    `--max-examples=${options.maxExamples}`,
    `--seed=${options.seed ?? 1}`,
    `--workers=${options.workers ?? 2}`,
    '--report=json',
    `--report-json-path=${reportPath}`,
    '--request-timeout=30',
  ];
  const child = spawn(schemathesisBinary(), args, {
    // its run state (.schemathesis/) goes to the temporary directory, not the repository
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-200_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exitCode = await new Promise<number | null>((resolve) => child.once('close', resolve));
  try {
    return { exitCode, report: JSON.parse(readFileSync(reportPath, 'utf8')) as SchemathesisReport, output };
  } catch {
    throw new Error(`schemathesis wrote no report (exit ${exitCode}):\n${output.slice(-4000)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
