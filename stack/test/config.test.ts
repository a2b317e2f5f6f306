import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RESOURCE_ATTRIBUTES } from '@otelkit/node/names';
import { JOBS, STACK } from '@otelkit/stack-topology';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  COLLECTOR_PORT_VARS,
  collectorEnv,
  CONFIG,
  defaultPorts,
  envDefaults,
  generatedFiles,
  JAEGER_PORT_VARS,
} from '../src/index.js';
import { REPO_ROOT } from '@otelkit/native-runtime';

const read = (path: string) => readFileSync(path, 'utf8');

describe('stack/config/prometheus/prometheus.yml', () => {
  const config = parse(read(CONFIG.prometheus));
  it('scrapes exactly the JOBS of @otelkit/stack-topology, each from its target file', () => {
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

describe('collector/config.agent.yaml (the Kubernetes DaemonSet agent)', () => {
  const text = read(CONFIG.collectorAgent);
  const config = parse(text);
  const defaults = envDefaults(text);
  const traces = config.service.pipelines.traces as { processors: string[]; exporters: string[] };
  it('takes its ports from the same variables as the local config, with the reference ports as defaults', () => {
    const ports = defaultPorts();
    for (const [name, field] of Object.entries(COLLECTOR_PORT_VARS)) {
      expect(defaults[name], name).toBe(String(ports[field]));
    }
    // In a cluster Jaeger's Service takes OTLP gRPC on the standard port (the native stack moves it to 14317).
    expect(defaults.JAEGER_OTLP_ENDPOINT).toBe(`${STACK.jaeger.service}:${STACK.collector.otlpGrpcPort}`);
    expect(defaults.OTELCOL_K8S_AUTH_TYPE).toBe('serviceAccount');
  });
  it('runs memory_limiter first and k8s_attributes before batch', () => {
    expect(traces.processors[0]).toBe('memory_limiter');
    expect(traces.processors.indexOf('k8s_attributes')).toBeGreaterThan(0);
    expect(traces.processors.indexOf('k8s_attributes')).toBeLessThan(traces.processors.indexOf('batch'));
    expect(traces.exporters).toEqual(['otlp_grpc/jaeger']);
  });
  it('associates pods by k8s.pod.ip, then k8s.pod.uid, then the connection, on this node only', () => {
    const k8s = config.processors.k8s_attributes;
    expect(k8s.passthrough).toBe(false);
    expect(k8s.filter).toEqual({ node_from_env_var: 'K8S_NODE_NAME' });
    expect(k8s.pod_association).toEqual([
      { sources: [{ from: 'resource_attribute', name: RESOURCE_ATTRIBUTES.k8sPodIp }] },
      { sources: [{ from: 'resource_attribute', name: RESOURCE_ATTRIBUTES.k8sPodUid }] },
      { sources: [{ from: 'connection' }] },
    ]);
    expect(k8s.extract.metadata).toEqual(
      expect.arrayContaining([
        RESOURCE_ATTRIBUTES.k8sNamespaceName,
        RESOURCE_ATTRIBUTES.k8sPodName,
        RESOURCE_ATTRIBUTES.k8sPodUid,
        RESOURCE_ATTRIBUTES.k8sDeploymentName,
        RESOURCE_ATTRIBUTES.k8sNodeName,
        RESOURCE_ATTRIBUTES.k8sContainerName,
      ]),
    );
    const labels = (k8s.extract.labels as Array<{ key: string; from: string }>).map((l) => `${l.from}:${l.key}`);
    expect(labels).toEqual(['name', 'version', 'component', 'part-of'].map((key) => `pod:app.kubernetes.io/${key}`));
  });
  it('has no span_metrics: per-node agents would each write a partial series (no single writer)', () => {
    expect(config.connectors).toBeUndefined();
    expect(text).toMatch(/No span_metrics here/);
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
  it('names its services as @otelkit/stack-topology does', () => {
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
  const bindMounts = (service: string) =>
    ((compose.services[service].volumes ?? []) as string[])
      .filter((v) => v.startsWith('./'))
      .map((v) => {
        const [source = '', target = ''] = v.split(':');
        return { source: join(REPO_ROOT, source), target };
      });
  it('mounts only files and folders that exist in the repository', () => {
    const mounts = Object.keys(compose.services).flatMap(bindMounts);
    expect(mounts.length).toBeGreaterThan(5);
    for (const { source } of mounts) expect(existsSync(source), source).toBe(true);
  });
  it("provisions Grafana's dashboards from dashboards/generated: the provider's path is where the JSON is mounted", () => {
    const mounts = bindMounts(STACK.grafana.service);
    const providers = mounts.find((m) => m.target === '/etc/grafana/provisioning/dashboards');
    expect(providers, 'a dashboard provider folder is mounted').toBeDefined();
    const files = readdirSync(providers?.source ?? '').filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      for (const provider of parse(read(join(providers?.source ?? '', file))).providers) {
        const folder = mounts.find((m) => m.target === provider.options.path);
        expect(folder, `${file}: ${provider.options.path} is mounted`).toBeDefined();
        expect(readdirSync(folder?.source ?? '').filter((f) => f.endsWith('.json')).length).toBeGreaterThan(0);
      }
    }
  });
});

describe('generated stack files', () => {
  it('are up to date (npm run generate), with no leftovers', () => {
    const files = generatedFiles();
    for (const [path, content] of Object.entries(files)) expect(read(path), path).toBe(content);
    const targets = readdirSync(CONFIG.composeTargets).map((name) => join(CONFIG.composeTargets, name));
    expect(targets.filter((path) => !(path in files))).toEqual([]);
  });
});
