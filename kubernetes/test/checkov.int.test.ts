import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { K8S_FILES } from '../src/index.js';
import { REPO_ROOT } from '@otelkit/native-runtime';
import { renderDemoChart, runTool, scratchDir, type ToolRun } from './helpers.js';

interface CheckovReport {
  check_type: string;
  results: {
    passed_checks: unknown[];
    failed_checks: Array<{ check_id: string; check_name: string; resource: string; file_path: string }>;
    skipped_checks: Array<{ check_id: string }>;
  };
  summary: { passed: number; failed: number; skipped: number };
}

function checkov(args: string[]): { run: ToolRun; reports: CheckovReport[] } {
  const run = runTool('checkov', ['--config-file', K8S_FILES.checkovConfig, '--output', 'json', ...args]);
  const json = JSON.parse(run.stdout) as CheckovReport | CheckovReport[];
  return { run, reports: Array.isArray(json) ? json : [json] };
}

const failures = (reports: CheckovReport[]) =>
  reports.flatMap((r) =>
    r.results.failed_checks.map((f) => `${f.check_id} ${f.check_name}: ${f.resource} (${f.file_path})`),
  );

describe('checkov: manifests, the rendered demo chart and the Dockerfiles', () => {
  const scratch = scratchDir('checkov');
  let reports: CheckovReport[];
  beforeAll(() => {
    const dashboards = existsSync(K8S_FILES.dashboardsManifests)
      ? readdirSync(K8S_FILES.dashboardsManifests).filter((n) => /\.ya?ml$/.test(n))
      : [];
    const files: Record<string, string> = {
      'opentelemetrycollector.yaml': readFileSync(K8S_FILES.operatorManifest, 'utf8'),
      'demo-chart.yaml': renderDemoChart(['k6.enabled=true']).text,
      ...Object.fromEntries(
        dashboards.map((n) => [`dashboards-${n}`, readFileSync(join(K8S_FILES.dashboardsManifests, n), 'utf8')]),
      ),
    };
    // the Dockerfiles go in as copies: checkov scans one directory (--directory and --file do not combine)
    for (const dockerfile of ['demo/Dockerfile', 'collector/Dockerfile']) {
      files[dockerfile] = readFileSync(join(REPO_ROOT, dockerfile), 'utf8');
    }
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(dirname(join(scratch.dir, name)), { recursive: true });
      writeFileSync(join(scratch.dir, name), content);
    }
    reports = checkov(['--directory', scratch.dir, '--framework', 'kubernetes', 'dockerfile']).reports;
  }, 300_000);
  afterAll(() => scratch.cleanup());

  it('has no failed check', () => {
    expect(failures(reports)).toEqual([]);
  });
  it('ran the Kubernetes and Dockerfile checks', () => {
    const passed = Object.fromEntries(reports.map((r) => [r.check_type, r.summary.passed]));
    expect(passed.kubernetes).toBeGreaterThan(50);
    expect(passed.dockerfile).toBeGreaterThan(10);
  });
  it('skips only the checks kubernetes/checkov.yaml lists, each with a reason', () => {
    const configText = readFileSync(K8S_FILES.checkovConfig, 'utf8');
    const configured = (parse(configText)['skip-check'] ?? []) as string[];
    for (const id of configured) {
      expect(configText, `${id} needs a reason (comment lines above it)`).toMatch(
        new RegExp(`#[^\\n]*\\n\\s*- ${id}\\b`),
      );
    }
    // resource-level skips (checkov.io/skip annotations) must be listed in the file's comments too
    const skipped = new Set(reports.flatMap((r) => r.results.skipped_checks.map((s) => s.check_id)));
    for (const id of skipped) expect(configText).toMatch(new RegExp(`#\\s+${id} \\(`));
  });
  it('fails a privileged, root, writable container (the scan can fail)', () => {
    const bad = scratchDir('checkov-bad');
    try {
      writeFileSync(
        join(bad.dir, 'bad.yaml'),
        stringify({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'bad', namespace: 'default' },
          spec: {
            containers: [{ name: 'c', image: 'busybox:1.36', securityContext: { privileged: true, runAsUser: 0 } }],
          },
        }),
      );
      const ids = failures(checkov(['--directory', bad.dir, '--framework', 'kubernetes']).reports).map(
        (f) => f.split(' ')[0],
      );
      expect(ids).toContain('CKV_K8S_16'); // privileged
    } finally {
      bad.cleanup();
    }
  }, 300_000);
});
