import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JOBS, STACK } from '@otelkit/node/stack';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  COLLECTOR_PORT_VARS,
  CONFIG,
  collectorEnv,
  defaultPorts,
  envDefaults,
  generatedFiles,
  JAEGER_PORT_VARS,
  REPO_ROOT,
} from '../src/index.js';

const read = (path: string) => readFileSync(path, 'utf8');

describe('stack/config/prometheus/prometheus.yml', () => {
  const config = parse(read(CONFIG.prometheus));
  it('scrapes exactly the JOBS of @otelkit/node/stack, each from its target file', () => {
    const jobs = config.scrape_configs.map((job: { job_name: string }) => job.job_name);
    expect(jobs.sort()).toEqual(Object.values(JOBS).sort());
    for (const job of config.scrape_configs) {
      expect(job.file_sd_configs).toEqual([{ files: [`targets/${job.job_name}.json`] }]);
    }
    expect(config.rule_files).toEqual(['rules/*.yml']);
  });
});

describe('collector/config.local.yaml', () => {
  const text = read(CONFIG.collector);
  const defaults = envDefaults(text);
  it('takes every native-stack port from a variable whose default is the reference port', () => {
    const ports = defaultPorts();
    for (const [name, field] of Object.entries(COLLECTOR_PORT_VARS)) {
      expect(defaults[name], name).toBe(String(ports[field]));
    }
    expect(defaults.JAEGER_OTLP_ENDPOINT).toBe(`${STACK.jaeger.service}:${STACK.jaeger.otlpGrpcPort}`);
    expect(defaults.PROMETHEUS_REMOTE_WRITE_URL).toBe(
      `http://${STACK.prometheus.service}:${STACK.prometheus.port}/api/v1/write`,
    );
  });
  it('reads every variable the native stack sets', () => {
    for (const name of Object.keys(collectorEnv(defaultPorts()))) expect(defaults, name).toHaveProperty(name);
  });
  it('puts memory_limiter first in every pipeline', () => {
    const pipelines = parse(text).service.pipelines as Record<string, { processors: string[] }>;
    for (const [name, pipeline] of Object.entries(pipelines))
      expect(pipeline.processors[0], name).toBe('memory_limiter');
  });
});

describe('stack/config/jaeger/config.yaml', () => {
  it('takes every port from a variable whose default is the reference port', () => {
    const defaults = envDefaults(read(CONFIG.jaeger));
    const ports = defaultPorts();
    for (const [name, field] of Object.entries(JAEGER_PORT_VARS))
      expect(defaults[name], name).toBe(String(ports[field]));
  });
});

describe('docker-compose.yml', () => {
  const compose = parse(read(join(REPO_ROOT, 'docker-compose.yml')), { merge: true });
  const env = read(join(REPO_ROOT, '.env'));
  it('names its services as @otelkit/node/stack does', () => {
    const services = Object.keys(compose.services);
    for (const { service } of [STACK.demo, STACK.collector, STACK.jaeger, STACK.prometheus, STACK.grafana]) {
      expect(services).toContain(service);
    }
    expect(services).toContain(STACK.postgres.service);
    expect(services).toContain(STACK.postgresExporter.service);
  });
  it('defines in .env every variable it uses', () => {
    const used = new Set(
      [...read(join(REPO_ROOT, 'docker-compose.yml')).matchAll(/\$\{([A-Z0-9_]+)\}/g)].map((m) => m[1]),
    );
    const defined = new Set([...env.matchAll(/^([A-Z0-9_]+)=/gm)].map((m) => m[1]));
    expect([...used].filter((name) => !defined.has(name))).toEqual([]);
  });
  it('runs every long-lived service hardened, publishing ports on 127.0.0.1 only', () => {
    for (const [name, service] of Object.entries(compose.services) as Array<[string, Record<string, any>]>) {
      expect(service.cap_drop, name).toEqual(['ALL']);
      expect(service.security_opt, name).toContain('no-new-privileges:true');
      if (name !== STACK.postgres.service) expect(service.read_only, name).toBe(true);
      for (const port of service.ports ?? []) expect(String(port), name).toMatch(/^127\.0\.0\.1:/);
    }
  });
  it('does not publish the demo metrics port', () => {
    const demo = compose.services[STACK.demo.service];
    expect(JSON.stringify(demo.ports)).not.toContain('DEMO_METRICS_PORT');
  });
});

describe('generated stack files', () => {
  it('are up to date (npm run stack:generate), with no leftovers', () => {
    const files = generatedFiles();
    for (const [path, content] of Object.entries(files)) expect(read(path), path).toBe(content);
    const targets = readdirSync(CONFIG.composeTargets).map((name) => join(CONFIG.composeTargets, name));
    expect(targets.filter((path) => !(path in files))).toEqual([]);
  });
});
