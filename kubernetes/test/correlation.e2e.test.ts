import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { K8S_ENV, RESOURCE_ATTRIBUTES as R } from '@otelkit/node/names';
import { STACK } from '@otelkit/stack-topology';
import {
  type ControlPlane,
  freePort,
  ManagedProcess,
  type PostgresInstance,
  startControlPlane,
  toolBinary,
  waitUntil,
} from '@otelkit/native-runtime';
import { JaegerApi, type JaegerTrace, tagOf } from '@otelkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  collectorEnv,
  demo,
  freeCollectorPorts,
  gatewayProcess,
  freeStackPorts,
  jaeger as jaegerProcess,
  type K6Run,
  runDemoCommand,
  runK6,
  type StackContext,
  startPostgres,
  writeLocalAgentConfig,
} from '@otelkit/stack';
import {
  agentEnv,
  CLUSTER_NAME,
  createWorkload,
  DEMO_NAMESPACE,
  downwardApiEnv,
  K8S_FILES,
  type KubeObject,
  nodeNameVariable,
  readAgentConfig,
  readManifests,
  RELEASES,
  renderChart,
  sendSpansFromAddress,
  type WorkloadPod,
} from '../src/index.js';

/**
 * Pod metadata on every span, proven against a real kube-apiserver: the DaemonSet agent config
 * (collector/config.agent.yaml) runs with the shipped RBAC (K8S_FILES.operatorManifest) (a token of the collector's service account, so missing
 * permissions would show), watching the pods of its node; demo processes play the pods' containers (their
 * downward-API environment matches the Pod objects), k6 drives them, and Jaeger must show k8s_attributes' metadata
 * of the pod that served each span. Both association paths: the k8s.pod.ip resource attribute, and the connection's
 * source IP (a client bound to the pod's loopback address, no k8s.* attributes). Negative cases: an IP no pod has,
 * and a pod of another node (the agent watches its own node only).
 */
const NODE = 'otelkit-node-a';
const OTHER_NODE = 'otelkit-node-b';
const CONNECTION_CLIENT = 'k8s-connection-client';
const UNKNOWN_IP = '127.0.0.250';
const K8S_KEYS = [R.k8sPodName, R.k8sPodUid, R.k8sNamespaceName, R.k8sNodeName, R.k8sDeploymentName] as const;
const SPANS_PER_SOURCE = 20;
/** The K8S_ENV variable that carries the pod IP. */
const POD_IP_VARIABLE = Object.entries(K8S_ENV).find(([, attribute]) => attribute === R.k8sPodIp)?.[0] ?? '';

let plane: ControlPlane;
let dir: string;
let postgres: PostgresInstance | undefined;
const processes: ManagedProcess[] = [];
let pods: WorkloadPod[];
let jaeger: JaegerApi;
let ctx: StackContext;
let k6: K6Run[];
let metricsText = '';

const expected = (pod: WorkloadPod): Record<(typeof K8S_KEYS)[number], string> => ({
  [R.k8sPodName]: pod.name,
  [R.k8sPodUid]: pod.uid,
  [R.k8sNamespaceName]: pod.namespace,
  [R.k8sNodeName]: pod.nodeName,
  [R.k8sDeploymentName]: pod.deployment,
});
const k8sTags = (trace: JaegerTrace, processId: string) => {
  const tags = trace.processes[processId]?.tags ?? [];
  return Object.fromEntries(K8S_KEYS.map((key) => [key, tagOf(tags, key)]));
};
/** The demo chart's API Deployment (what `helm install` would create) and its container. */
const demoDeployment = (): { deployment: KubeObject; container: string } => {
  const deployment = renderChart(K8S_FILES.demoChart, RELEASES.demo).find(
    (o) => o.kind === 'Deployment' && JSON.stringify(o).includes('"fieldPath":"status.podIP"'),
  );
  const container = (deployment?.spec as { template?: { spec?: { containers?: Array<{ name: string }> } } })?.template
    ?.spec?.containers?.[0]?.name;
  if (deployment === undefined || container === undefined)
    throw new Error(`${K8S_FILES.demoChart} renders no Deployment with POD_IP from the downward API`);
  return { deployment, container };
};
/** The downward-API variables @otelkit/node reads (K8S_ENV), as the kubelet would set them from the chart. */
const k8sEnv = (pod: WorkloadPod, container: string) =>
  Object.fromEntries(Object.entries(downwardApiEnv(pod, container)).filter(([name]) => name in K8S_ENV));

/** The collector's own counter of pod associations (k8s_attributes), by status and identifier source. */
const associations = (text: string) =>
  text
    .split('\n')
    .filter((line) => line.startsWith('otelcol_k8s_pod_association'))
    .map((line) => ({
      status: /status="([^"]*)"/.exec(line)?.[1] ?? '',
      identifier: /pod_identifier="([^"]*)"/.exec(line)?.[1] ?? '',
      value: Number(line.split(' ').at(-1)),
    }));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'otelkit-k8s-correlation-'));
  chmodSync(dir, 0o755); // Postgres runs as the postgres user, under this folder
  ctx = { ports: await freeStackPorts(), dir };
  plane = await startControlPlane(join(dir, 'control-plane'));
  // The collector's ServiceAccount and RBAC, as shipped, for real; the collector runs with that account's token.
  const rbac = readManifests(K8S_FILES.operatorManifest).filter((o) =>
    ['Namespace', 'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding'].includes(o.kind),
  );
  const account = rbac.find((o) => o.kind === 'ServiceAccount');
  if (account === undefined) throw new Error('collector/kubernetes ships no ServiceAccount for the collector');
  const accountNs = account.metadata?.namespace ?? 'default';
  if (accountNs !== 'default' && !rbac.some((o) => o.kind === 'Namespace' && o.metadata?.name === accountNs))
    await plane.kubectl(['create', 'namespace', accountNs]);
  await plane.kubectl(['apply', '--server-side', '-f', '-'], {
    input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: rbac }),
  });
  const kubeconfig = await plane.serviceAccountKubeconfig(
    accountNs,
    account.metadata?.name ?? '',
    join(dir, 'collector.kubeconfig'),
  );

  const { deployment, container } = demoDeployment();
  pods = await createWorkload(plane, {
    namespace: DEMO_NAMESPACE,
    deployment,
    templateHash: '5d8f7c9b4d',
    pods: [
      { nodeName: NODE, ip: '127.0.0.11' }, // demo process, full downward-API environment
      { nodeName: NODE, ip: '127.0.0.12' }, // demo process with the pod IP only: name, uid... only from the API
      { nodeName: NODE, ip: '127.0.0.13' }, // no k8s.* attributes: the connection's source IP identifies it
      { nodeName: OTHER_NODE, ip: '127.0.0.14' }, // another node's pod: this agent must not know it
    ],
  });

  const jaegerService = jaegerProcess(ctx);
  await jaegerService.start();
  processes.push(jaegerService);
  jaeger = new JaegerApi(`http://127.0.0.1:${ctx.ports.jaegerQuery}`);
  // The agent exports to the gateway tier: one gateway keeping every trace (the sampling is not under test here).
  // The agent's k8s resolver would need the gateway's address in an EndpointSlice, which refuses loopback addresses,
  // so here its gateway comes from a static list (the resolver's RBAC is proven in gateway-resolver.e2e.test.ts).
  const gatewayPorts = await freeCollectorPorts();
  const gateway = gatewayProcess({
    name: 'otel-gateway',
    ports: gatewayPorts,
    dir: join(dir, 'gateway'),
    jaegerOtlpGrpc: `127.0.0.1:${ctx.ports.jaegerOtlpGrpc}`,
    prometheusRemoteWrite: 'http://127.0.0.1:9/api/v1/write', // span metrics are not under test: discard port
    env: { OTELCOL_TAIL_BASELINE_PERCENT: '100', OTELCOL_TAIL_DECISION_WAIT: '1s' },
  });
  await gateway.start();
  processes.push(gateway);
  const agentConfig = writeLocalAgentConfig(join(dir, 'agent'), [`127.0.0.1:${gatewayPorts.otlpGrpc}`], {
    k8sAttributes: true,
  });
  const collector = new ManagedProcess({
    name: 'otel-collector-agent',
    command: toolBinary('otelcol-otelkit'),
    args: [`--config=${agentConfig}`],
    env: {
      ...collectorEnv(ctx.ports),
      OTELCOL_QUEUE_DIR: join(dir, 'agent', 'queue'),
      OTELCOL_K8S_AUTH_TYPE: 'kubeConfig',
      KUBECONFIG: kubeconfig,
      [nodeNameVariable(readAgentConfig().config.processors.k8s_attributes)]: NODE,
      // k8s.cluster.name, as the manifests set it (agentEnv: OTEL_RESOURCE_ATTRIBUTES from CLUSTER_NAME)
      ...Object.fromEntries(
        agentEnv()
          .filter((e) => e.name === 'OTEL_RESOURCE_ATTRIBUTES')
          .map((e) => [e.name, e.value ?? '']),
      ),
    },
    logFile: join(dir, 'logs', 'collector-agent.log'),
    readyUrl: `http://127.0.0.1:${ctx.ports.collectorHealth}/`,
  });
  await collector.start();
  processes.push(collector);

  // The agent's pod cache is filled once a connection-identified span comes back enriched (the informer has synced).
  // A probe takes a few seconds through the gateway (its decision_wait and the queues' batch timeouts): any probe sent
  // so far may be the first to come back enriched.
  const otlpHttp = `http://127.0.0.1:${ctx.ports.collectorOtlpHttp}`;
  const probes: string[] = [];
  await waitUntil(
    async () => {
      probes.push(
        ...(await sendSpansFromAddress({
          endpoint: otlpHttp,
          localAddress: pods[2]?.ip ?? '',
          serviceName: 'k8s-sync-probe',
          count: 1,
        })),
      );
      await new Promise((r) => setTimeout(r, 2_000));
      for (const traceId of probes) {
        const trace = await jaeger.trace(traceId);
        if (
          trace !== undefined &&
          tagOf(trace.processes[trace.spans[0]?.processID ?? '']?.tags ?? [], R.k8sPodUid) !== undefined
        )
          return true;
      }
      return false;
    },
    {
      what: `the agent collector to know the pods of ${NODE}\n${collector.output}`,
      timeoutMs: 90_000,
      intervalMs: 1_000,
    },
  );

  const started = await startPostgres(ctx);
  postgres = started.instance;
  runDemoCommand(ctx.ports, started.url, ['migrate']);
  runDemoCommand(ctx.ports, started.url, ['seed']);
  const demos = await Promise.all(
    [pods[0], pods[1]].map(async (pod, index) => {
      if (pod === undefined) throw new Error('no pod');
      const podCtx = {
        dir: join(dir, `pod${index}`),
        ports: { ...ctx.ports, demo: await freePort(), demoMetrics: await freePort() },
      };
      const env = index === 0 ? k8sEnv(pod, container) : { [POD_IP_VARIABLE]: pod.ip };
      return { pod, process: demo(podCtx, started.url, env), port: podCtx.ports.demo };
    }),
  );
  for (const d of demos) {
    await d.process.start();
    processes.push(d.process);
  }
  k6 = await Promise.all(
    demos.map((d) =>
      runK6({ scenario: 'smoke', baseUrl: `http://127.0.0.1:${d.port}`, env: { DURATION: '15s' }, testId: d.pod.name }),
    ),
  );
  // Stopping the demos flushes their SDKs' batches to the collector.
  for (const d of demos) await d.process.stop();
}, 600_000);

afterAll(async () => {
  for (const p of processes.reverse()) await p.stop();
  await postgres?.stop();
  await plane?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('k8s_attributes on a real API server: every demo span carries the metadata of the pod that served it', () => {
  it('k6 drove both demo pods without errors', () => {
    for (const run of k6) {
      expect(run.exitCode, run.output.slice(-2000)).toBe(0);
      expect(Number(run.summary.metrics.http_reqs?.count)).toBeGreaterThan(10);
    }
  });

  it('path k8s.pod.ip: 100% of the demo spans have k8s.pod.name, uid, namespace, node and deployment of their pod', async () => {
    const byIp = new Map(pods.map((p) => [p.ip, p]));
    let previous = -1;
    let traces: JaegerTrace[] = [];
    // the collector exports in batches: read until the span count stops growing
    await waitUntil(
      async () => {
        traces = await jaeger.traces(STACK.demo.service, { limit: '100000' });
        const count = traces.reduce((n, t) => n + t.spans.length, 0);
        const stable = count > 0 && count === previous;
        previous = count;
        return stable;
      },
      { what: 'the demo spans in Jaeger', timeoutMs: 60_000, intervalMs: 3_000 },
    );
    const perPod = new Map<string, { spans: number; enriched: number }>();
    const wrong: string[] = [];
    const instanceIds = new Map<string, Set<string>>();
    let withoutClusterName = 0;
    for (const trace of traces) {
      for (const span of trace.spans) {
        const tags = trace.processes[span.processID]?.tags ?? [];
        if (tagOf(tags, 'k8s.cluster.name') !== CLUSTER_NAME) withoutClusterName++;
        const pod = byIp.get(String(tagOf(tags, R.k8sPodIp)));
        const ids = instanceIds.get(pod?.name ?? 'unknown') ?? new Set<string>();
        ids.add(String(tagOf(tags, R.serviceInstanceId)));
        instanceIds.set(pod?.name ?? 'unknown', ids);
        const figures = perPod.get(pod?.name ?? 'unknown') ?? { spans: 0, enriched: 0 };
        figures.spans++;
        const actual = k8sTags(trace, span.processID);
        if (pod !== undefined && JSON.stringify(actual) === JSON.stringify(expected(pod))) figures.enriched++;
        else if (wrong.length < 5) wrong.push(`${span.operationName}: ${JSON.stringify(actual)}`);
        perPod.set(pod?.name ?? 'unknown', figures);
      }
    }
    const total = [...perPod.values()].reduce((n, f) => n + f.spans, 0);
    const enriched = [...perPod.values()].reduce((n, f) => n + f.enriched, 0);
    console.log(
      `[k8s correlation] k8s.pod.ip path: ${total} demo spans checked, ${enriched} enriched with their pod's metadata ` +
        `(${((100 * enriched) / total).toFixed(1)}%); per pod: ${JSON.stringify(Object.fromEntries(perPod))}`,
    );
    expect(wrong).toEqual([]);
    expect(enriched).toBe(total);
    expect(withoutClusterName, `spans without k8s.cluster.name=${CLUSTER_NAME}`).toBe(0);
    expect(perPod.get(pods[0]?.name ?? '')?.spans).toBeGreaterThan(0);
    expect(perPod.get(pods[1]?.name ?? '')?.spans).toBeGreaterThan(0);
    // service.instance.id: the pod uid given through the downward API (pod 0), a per-process UUID without it (pod 1)
    console.log(
      `[k8s correlation] service.instance.id per pod: ${JSON.stringify([...instanceIds].map(([p, ids]) => [p, [...ids]]))}`,
    );
    expect([...(instanceIds.get(pods[0]?.name ?? '') ?? [])]).toEqual([pods[0]?.uid]);
    expect([...(instanceIds.get(pods[1]?.name ?? '') ?? [])]).toEqual([expect.stringMatching(/^[0-9a-f-]{36}$/)]);
    expect(instanceIds.get(pods[1]?.name ?? '')?.has(pods[1]?.uid ?? '')).toBe(false);
  });

  it('path connection: spans without k8s.* attributes from a pod address get that pod; unknown addresses get none', async () => {
    const otlpHttp = `http://127.0.0.1:${ctx.ports.collectorOtlpHttp}`;
    const send = (address: string) =>
      sendSpansFromAddress({
        endpoint: otlpHttp,
        localAddress: address,
        serviceName: CONNECTION_CLIENT,
        count: SPANS_PER_SOURCE,
      });
    const [known, otherNode] = [pods[2], pods[3]];
    if (known === undefined || otherNode === undefined) throw new Error('no pods');
    const sent = { known: await send(known.ip), otherNode: await send(otherNode.ip), unknown: await send(UNKNOWN_IP) };
    const fetched = async (ids: string[]) => {
      const traces: JaegerTrace[] = [];
      await waitUntil(
        async () => {
          traces.length = 0;
          for (const id of ids) {
            const trace = await jaeger.trace(id);
            if (trace === undefined) return false;
            traces.push(trace);
          }
          return true;
        },
        { what: `${ids.length} connection-path traces in Jaeger`, timeoutMs: 60_000, intervalMs: 1_000 },
      );
      return traces.map((t) => k8sTags(t, t.spans[0]?.processID ?? ''));
    };
    const none = Object.fromEntries(K8S_KEYS.map((key) => [key, undefined]));
    const knownTags = await fetched(sent.known);
    expect(knownTags).toEqual(sent.known.map(() => expected(known)));
    expect(await fetched(sent.otherNode)).toEqual(sent.otherNode.map(() => none));
    expect(await fetched(sent.unknown)).toEqual(sent.unknown.map(() => none));
    console.log(
      `[k8s correlation] connection path: ${knownTags.length}/${sent.known.length} spans from ${known.ip} enriched ` +
        `with ${known.name}; ${2 * SPANS_PER_SOURCE} spans from ${otherNode.ip} (pod on ${OTHER_NODE}) and ` +
        `${UNKNOWN_IP} (no pod) got no pod metadata`,
    );
  });

  it("the collector's own metrics count no failed k8s.pod.ip association", async () => {
    const response = await fetch(`http://127.0.0.1:${ctx.ports.collectorMetrics}/metrics`);
    metricsText = await response.text();
    const counted = associations(metricsText);
    console.log(`[k8s correlation] otelcol_k8s_pod_association: ${JSON.stringify(counted)}`);
    const ipMisses = counted.filter((c) => c.status === 'error' && c.identifier.includes(R.k8sPodIp));
    expect(ipMisses.reduce((n, c) => n + c.value, 0)).toBe(0);
    expect(counted.filter((c) => c.status === 'success').reduce((n, c) => n + c.value, 0)).toBeGreaterThan(0);
  });
});
