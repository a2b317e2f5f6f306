/**
 * Names the demo chart (demo/chart) creates that other files refer to, and the one generated template of that chart:
 * the k6 scripts ConfigMap, built from loadtest/ so the in-cluster load test runs the same scenarios as CI.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RELEASES } from './cluster.js';
import { K8S_FILES } from './paths.js';
import { generatedHeader } from './yaml-output.js';

/** The demo's Postgres: Service and the Secret (created by the install guide) holding its credentials. */
export const DEMO_POSTGRES = {
  service: `${RELEASES.demo}-postgres`,
  secret: `${RELEASES.demo}-postgres`,
  userKey: 'username',
  passwordKey: 'password',
} as const;

/**
 * The label that lets a pod of another release reach the demo's Postgres through its NetworkPolicy
 * (postgres-exporter's pods carry it: helm-values/prometheus-postgres-exporter.yaml `podLabels`).
 */
export const POSTGRES_CLIENT_LABEL = { 'otelkit.io/postgres-client': 'true' } as const;

/**
 * The label of postgres-exporter's pods (helm-values/prometheus-postgres-exporter.yaml `podLabels`) that the demo
 * chart's NetworkPolicies admit under its namespace's default deny: scrapes from the monitoring namespace in,
 * Postgres and DNS out.
 */
export const POSTGRES_EXPORTER_LABEL = { 'otelkit.io/component': 'postgres-exporter' } as const;

/** The labels of the demo chart's k6 pods that Prometheus' NetworkPolicy admits (templates/k6-job.yaml). */
export const K6_POD_LABELS = {
  'app.kubernetes.io/name': RELEASES.demo,
  'app.kubernetes.io/component': 'load-test',
} as const;

/** The loadtest/ folders k6 needs, relative to loadtest/. */
const K6_SOURCE_DIRS = ['lib', 'scenarios'] as const;

/** ConfigMap keys cannot hold `/`: `lib/config.ts` is stored as `lib_config.ts` and mounted back at its path. */
export function k6ScriptFiles(): Array<{ key: string; path: string; content: string }> {
  return K6_SOURCE_DIRS.flatMap((dir) =>
    readdirSync(join(K8S_FILES.loadtest, dir))
      .filter((name) => name.endsWith('.ts'))
      .sort()
      .map((name) => {
        const content = readFileSync(join(K8S_FILES.loadtest, dir, name), 'utf8');
        if (content.includes('{{')) throw new Error(`loadtest/${dir}/${name} contains {{, which Helm would template`);
        return { key: `${dir}_${name}`, path: `${dir}/${name}`, content };
      }),
  );
}

/** demo/chart/templates/k6-scripts.yaml: a Helm template (the release-dependent name and labels) holding the scripts. */
export function k6ScriptsTemplate(): string {
  const files = k6ScriptFiles();
  const indent = (text: string) =>
    text
      .split('\n')
      .map((line) => (line ? `    ${line}` : ''))
      .join('\n');
  const data = files.map((f) => `  ${f.key}: |\n${indent(f.content.replace(/\n$/, ''))}`).join('\n');
  const items = files.map((f) => `- key: ${f.key}\n  path: ${f.path}`).join('\n');
  return `${generatedHeader('loadtest/lib and loadtest/scenarios (kubernetes/src/demo-chart.ts)')}
{{- /* The ConfigMap's keys and the paths under /loadtest the k6 Job mounts them at. */ -}}
{{- define "otelkit-demo.k6ScriptItems" -}}
${items}
{{- end -}}
{{- if .Values.k6.enabled }}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "otelkit-demo.fullname" . }}-k6-scripts
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "otelkit-demo.labels" . | nindent 4 }}
    app.kubernetes.io/component: load-test
data:
${data}
{{- end }}
`;
}
