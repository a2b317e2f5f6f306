import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { RESOURCE_ATTRIBUTES } from '@otelkit/node/names';
import { JOBS, STACK } from '@otelkit/stack-topology';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { defaultConfig } from '@otelkit/dashboards';
import {
  agentGatewayExporter,
  ALERT_RECEIVERS,
  COLLECTOR_PORT_VARS,
  COMPOSE_ALERT_SECRETS_DIR,
  collectorEnv,
  CONFIG,
  defaultPorts,
  envDefaults,
  generatedFiles,
  JAEGER_PORT_VARS,
  QUEUE_STORAGE,
  queueStorageExtension,
  K6_REMOTE_WRITE_ENV,
} from '../src/index.js';
import { REPO_ROOT, readToolVersions } from '@otelkit/native-runtime';

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
    expect(defaults.OTELCOL_K8S_AUTH_TYPE).toBe('serviceAccount');
  });
  it('runs memory_limiter first, k8s_attributes next, and no batch processor (spans are batched on disk)', () => {
    expect(traces.processors[0]).toBe('memory_limiter');
    expect(traces.processors[1]).toBe('k8s_attributes');
    expect(traces.processors).not.toContain('batch');
  });
  it('sends to the gateways by trace id, discovered through the k8s resolver, from a sending queue on disk', () => {
    expect(traces.exporters).toEqual(['load_balancing/gateway']);
    const exporter = agentGatewayExporter(config);
    expect(exporter.routing_key).toBe('traceID');
    expect(Object.keys(exporter.resolver)).toEqual(['k8s']);
    expect(exporter.resolver.k8s.ports).toEqual([STACK.collector.otlpGrpcPort]);
    expect(exporter.sending_queue).toMatchObject({ enabled: true, storage: QUEUE_STORAGE });
    expect(exporter.retry_on_failure).toMatchObject({ enabled: true, max_elapsed_time: 0 });
    // nothing held per gateway in memory: a failed send goes back to the queue on disk and is routed again
    expect(exporter.protocol.otlp.sending_queue.enabled).toBe(false);
    expect(exporter.protocol.otlp.retry_on_failure.enabled).toBe(false);
    expect(config.extensions[QUEUE_STORAGE]).toEqual(queueStorageExtension());
    expect(config.service.extensions).toContain(QUEUE_STORAGE);
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

describe('collector/config.gateway.yaml (generated: the gateway tier)', () => {
  const config = parse(read(CONFIG.collectorGateway));
  const pipelines = config.service.pipelines as Record<
    string,
    { receivers: string[]; processors: string[]; exporters: string[] }
  >;
  it('puts memory_limiter first in every pipeline', () => {
    for (const [name, pipeline] of Object.entries(pipelines))
      expect(pipeline.processors[0], name).toBe('memory_limiter');
  });
  it("keeps every error trace, every trace slower than the dashboards' latency SLO threshold, and a share of the rest", () => {
    const policies = config.processors.tail_sampling.policies as Array<Record<string, any>>;
    expect(policies.map((p) => p.type)).toEqual(['status_code', 'latency', 'probabilistic']);
    expect(policies[0]?.status_code.status_codes).toEqual(['ERROR']);
    expect(policies[1]?.latency.threshold_ms).toBe(defaultConfig.slo.latencyThresholdSeconds * 1000);
    expect(envDefaults(read(CONFIG.collectorGateway)).OTELCOL_TAIL_BASELINE_PERCENT).toBe('10');
  });
  it('computes span metrics from every span, in a pipeline without tail_sampling, with the local config connector', () => {
    const red = Object.values(pipelines).filter((p) => p.exporters.includes('span_metrics'));
    expect(red).toHaveLength(1);
    expect(red[0]?.receivers).toEqual(['otlp']);
    expect(red[0]?.processors).toEqual(['memory_limiter']);
    expect(config.connectors.span_metrics).toEqual(parse(read(CONFIG.collector)).connectors.span_metrics);
  });
  it('sends the sampled traces to Jaeger from a queue on disk, and nothing in memory after tail_sampling', () => {
    const sampled = Object.values(pipelines).find((p) => p.processors.includes('tail_sampling'));
    expect(sampled?.processors.at(-1)).toBe('tail_sampling');
    expect(sampled?.exporters).toEqual(['otlp_grpc/jaeger']);
    expect(config.exporters['otlp_grpc/jaeger'].sending_queue).toMatchObject({ enabled: true, storage: QUEUE_STORAGE });
    expect(config.extensions[QUEUE_STORAGE]).toEqual(queueStorageExtension());
  });
});

describe('stack/config/jaeger/config.yaml', () => {
  it('takes every port from a variable whose default is the reference port', () => {
    const defaults = envDefaults(read(CONFIG.jaeger));
    const ports = defaultPorts();
    for (const [name, field] of Object.entries(JAEGER_PORT_VARS))
      expect(defaults[name], name).toBe(String(ports[field]));
  });
  it('keeps traces on disk (Badger, not ephemeral) in JAEGER_BADGER_DIR, which compose keeps in a named volume', () => {
    const config = parse(read(CONFIG.jaeger));
    const backends = config.extensions.jaeger_storage.backends as Record<string, Record<string, any>>;
    const store = config.exporters.jaeger_storage_exporter.trace_storage as string;
    expect(config.extensions.jaeger_query.storage.traces).toBe(store);
    expect(Object.keys(backends[store] ?? {})).toEqual(['badger']);
    const badger = backends[store]?.badger;
    expect(badger.ephemeral).toBe(false);
    expect(badger.directories.keys).toMatch(/^\$\{env:JAEGER_BADGER_DIR:-(\/tmp\/[^}]+)\}\/keys$/);
    const dataDir = envDefaults(read(CONFIG.jaeger)).JAEGER_BADGER_DIR ?? '';
    const compose = parse(read(join(REPO_ROOT, 'docker-compose.yml')), { merge: true });
    const volumes = compose.services[STACK.jaeger.service].volumes as string[];
    const named = volumes.map((v) => v.split(':')).find(([source]) => source !== undefined && !source.startsWith('.'));
    expect(named, 'a named volume for Jaeger').toBeDefined();
    expect(Object.keys(compose.volumes)).toContain(named?.[0]);
    expect(dataDir.startsWith(`${named?.[1]}/`), `${dataDir} inside the volume ${named?.[1]}`).toBe(true);
  });
});

describe('docker-compose.yml', () => {
  const compose = parse(read(join(REPO_ROOT, 'docker-compose.yml')), { merge: true });
  const env = read(join(REPO_ROOT, '.env'));
  it('names its services as @otelkit/stack-topology does', () => {
    const services = Object.keys(compose.services);
    for (const { service } of [
      STACK.demo,
      STACK.collector,
      STACK.jaeger,
      STACK.prometheus,
      STACK.alertmanager,
      STACK.grafana,
    ]) {
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
  it('runs the pinned Alertmanager with the generated config, its receiver secrets mounted where it reads them', () => {
    const service = compose.services[STACK.alertmanager.service];
    expect(service.image).toBe('${ALERTMANAGER_IMAGE}');
    expect(env).toContain(`ALERTMANAGER_IMAGE=prom/alertmanager:${readToolVersions().ALERTMANAGER_VERSION}\n`);
    const mounts = bindMounts(STACK.alertmanager.service);
    const config = mounts.find((m) => m.source === CONFIG.alertmanager);
    expect(service.command).toContain(`--config.file=${config?.target}`);
    const secrets = mounts.find((m) => m.target === COMPOSE_ALERT_SECRETS_DIR);
    expect(secrets?.source).toBe(join(dirname(CONFIG.alertmanager), 'secrets'));
    const urlFiles = (
      parse(read(CONFIG.alertmanager)).receivers as Array<{ webhook_configs?: Array<{ url_file: string }> }>
    ).flatMap((r) => (r.webhook_configs ?? []).map((w) => w.url_file));
    expect(urlFiles.sort()).toEqual(
      Object.values(ALERT_RECEIVERS)
        .map((r) => `${COMPOSE_ALERT_SECRETS_DIR}/${r.urlFile}`)
        .sort(),
    );
  });
  it('points Prometheus at Alertmanager, from the same target file it scrapes it with', () => {
    const config = parse(read(CONFIG.prometheus));
    expect(config.alerting.alertmanagers).toEqual([
      { file_sd_configs: [{ files: [`targets/${JOBS.alertmanager}.json`] }] },
    ]);
    expect(compose.services[STACK.prometheus.service].depends_on).toHaveProperty(STACK.alertmanager.service);
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

describe("k6's remote-write settings", () => {
  it("are the same in docker-compose.yml and in the demo chart's k6 Job as in native runs", () => {
    const compose = parse(read(join(REPO_ROOT, 'docker-compose.yml')));
    expect(compose.services.k6.environment).toMatchObject(K6_REMOTE_WRITE_ENV);
    // a Helm template, not YAML: each variable is a `- name:` line followed by its quoted `value:`
    const job = read(join(REPO_ROOT, 'demo', 'chart', 'templates', 'k6-job.yaml'));
    for (const [name, value] of Object.entries(K6_REMOTE_WRITE_ENV)) {
      expect(job).toMatch(new RegExp(`- name: ${name}\\n\\s+value: "${value}"`));
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
