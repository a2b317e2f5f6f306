import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildAll, DASHBOARD_KEYS, GRAFANA_DASHBOARDS_PATH, syncFiles } from '../src/index.js';

const OUT = fileURLToPath(new URL('../generated/', import.meta.url));
const read = (file: string) => readFileSync(OUT + file, 'utf8');
const mixin = buildAll();

describe('dashboards/generated', () => {
  it('is up to date (npm run generate), with no leftovers', () => {
    expect(syncFiles(OUT, mixin, true)).toEqual({ changed: [], removed: [] });
  });

  it('provisions the dashboards folder compose mounts', () => {
    const compose = parse(readFileSync(new URL('../../docker-compose.yml', import.meta.url), 'utf8'));
    const volumes: string[] = compose.services.grafana.volumes;
    expect(volumes).toContain(`./dashboards/generated/grafana:${GRAFANA_DASHBOARDS_PATH}:ro`);
    expect(volumes).toContain('./dashboards/generated/grafana/provisioning:/etc/grafana/provisioning/dashboards:ro');
    const provider = parse(read(`grafana/provisioning/${mixin.config.service}.yaml`));
    expect(provider.providers[0].options.path).toBe(GRAFANA_DASHBOARDS_PATH);
    expect(provider.providers[0].type).toBe('file');
  });

  it('has one sidecar ConfigMap per dashboard, holding the same JSON', () => {
    for (const key of DASHBOARD_KEYS) {
      const text = read(`kubernetes/grafana-dashboard-${key}.yaml`);
      // kubectl apply (client side) keeps a copy in an annotation limited to 256 KiB
      expect(Buffer.byteLength(text)).toBeLessThan(256 * 1024);
      const configMap = parse(text);
      expect(configMap.kind).toBe('ConfigMap');
      expect(configMap.metadata.labels.grafana_dashboard).toBe('1');
      const [json] = Object.values(configMap.data as Record<string, string>);
      expect(JSON.parse(json ?? '')).toEqual(JSON.parse(read(`grafana/${key}.json`)));
    }
  });

  it('has a PrometheusRule with the same groups as the rules files, with the labels Prometheus selects on', () => {
    const rule = parse(read('kubernetes/prometheus-rule.yaml'));
    expect(rule.metadata.labels).toMatchObject(mixin.config.kubernetes.ruleLabels);
    const files = ['recording', 'alerts'].flatMap(
      (kind) => parse(read(`prometheus/${mixin.config.service}.${kind}.yml`)).groups,
    );
    expect(rule.spec.groups).toEqual(files);
  });
});
