import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STACK } from '@otelkit/stack-topology';
import { type ControlPlane, ManagedProcess, startControlPlane, toolBinary, waitUntil } from '@otelkit/native-runtime';
import { freeCollectorPorts } from '@otelkit/stack';
import { scrapeText, sumOf } from '@otelkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AGENT_SERVICE_ACCOUNT,
  K8S_FILES,
  nodeNameVariable,
  OBSERVABILITY_NAMESPACE,
  RELEASES,
  readAgentConfig,
  readManifests,
} from '../src/index.js';

/**
 * The agent's load_balancing exporter finds the gateways through its `k8s` resolver, with the shipped RBAC only,
 * against a real kube-apiserver: the shipped agent config runs unchanged with a token of the agent's ServiceAccount,
 * the shipped gateway Service and the Role/RoleBinding of collector/kubernetes/gateway.yaml are applied, and the
 * test plays the EndpointSlice controller. The endpoints are TEST-NET-2 addresses (198.51.100.0/24, documentation
 * only; EndpointSlices refuse loopback addresses): the agent resolves them and no span is sent, so nothing connects.
 * The agent's own metric otelcol_loadbalancer_num_backends tells what it resolved.
 */
const SLICE = `${RELEASES.gateway}-abcde`;
const ADDRESSES = ['198.51.100.10', '198.51.100.11', '198.51.100.12'];
const UNBOUND_ACCOUNT = 'otel-agent-without-role';

let plane: ControlPlane;
let dir: string;
const processes: ManagedProcess[] = [];

const endpointSlice = (addresses: string[]) => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: {
    name: SLICE,
    namespace: OBSERVABILITY_NAMESPACE,
    labels: {
      'kubernetes.io/service-name': RELEASES.gateway,
      'endpointslice.kubernetes.io/managed-by': 'otelkit-test',
    },
  },
  addressType: 'IPv4',
  ports: [{ name: 'otlp-grpc', port: STACK.collector.otlpGrpcPort, protocol: 'TCP' }],
  endpoints: addresses.map((address) => ({ addresses: [address], conditions: { ready: true } })),
});

const apply = (objects: unknown[]) =>
  plane.kubectl(['apply', '--server-side', '--force-conflicts', '-f', '-'], {
    input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }),
  });

/** The shipped agent config, unchanged, as the given ServiceAccount. */
async function startAgent(account: string, waitReady = true): Promise<{ process: ManagedProcess; metricsUrl: string }> {
  const ports = await freeCollectorPorts();
  const kubeconfig = await plane.serviceAccountKubeconfig(
    OBSERVABILITY_NAMESPACE,
    account,
    join(dir, `${account}.kubeconfig`),
  );
  const process = new ManagedProcess({
    name: account,
    command: toolBinary('otelcol-otelkit'),
    args: [`--config=${K8S_FILES.agentConfig}`],
    env: {
      OTELCOL_BIND_HOST: '127.0.0.1',
      OTELCOL_OTLP_GRPC_PORT: String(ports.otlpGrpc),
      OTELCOL_OTLP_HTTP_PORT: String(ports.otlpHttp),
      OTELCOL_METRICS_PORT: String(ports.metrics),
      OTELCOL_HEALTH_PORT: String(ports.health),
      OTELCOL_QUEUE_DIR: join(dir, account, 'queue'),
      OTELCOL_K8S_AUTH_TYPE: 'kubeConfig',
      OTELCOL_GATEWAY_SERVICE: `${RELEASES.gateway}.${OBSERVABILITY_NAMESPACE}`,
      KUBECONFIG: kubeconfig,
      [nodeNameVariable(readAgentConfig().config.processors.k8s_attributes)]: 'otelkit-node-a',
    },
    logFile: join(dir, `${account}.log`),
    readyUrl: waitReady ? `http://127.0.0.1:${ports.health}/` : undefined,
  });
  processes.push(process); // before start(): a start that fails is cleaned up too
  await process.start();
  return { process, metricsUrl: `http://127.0.0.1:${ports.metrics}/metrics` };
}

const backends = async (metricsUrl: string) => sumOf(await scrapeText(metricsUrl), 'otelcol_loadbalancer_num_backends');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'otelkit-gateway-resolver-'));
  plane = await startControlPlane(join(dir, 'control-plane'));
  await plane.kubectl(['create', 'namespace', OBSERVABILITY_NAMESPACE]);
  // The agent's ServiceAccount and ClusterRole (pods, for k8s_attributes) as shipped, the gateway's Service and the
  // resolver's Role/RoleBinding as shipped, and one more ServiceAccount that nothing binds.
  const agentRbac = readManifests(K8S_FILES.operatorManifest).filter((o) =>
    ['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding'].includes(o.kind),
  );
  const gateway = readManifests(K8S_FILES.gatewayManifest).filter((o) =>
    ['Service', 'Role', 'RoleBinding'].includes(o.kind),
  );
  await apply([
    ...agentRbac,
    ...gateway,
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: UNBOUND_ACCOUNT, namespace: OBSERVABILITY_NAMESPACE },
    },
    endpointSlice(ADDRESSES.slice(0, 2)),
  ]);
}, 300_000);

afterAll(async () => {
  for (const p of processes.reverse()) await p.stop();
  await plane?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the agent's k8s resolver on a real API server, with the shipped RBAC", () => {
  it('grants exactly get/list/watch on endpointslices in the gateway namespace', async () => {
    const user = `system:serviceaccount:${OBSERVABILITY_NAMESPACE}:${AGENT_SERVICE_ACCOUNT}`;
    for (const verb of ['get', 'list', 'watch'])
      expect(
        await plane.canI(user, verb, 'endpointslices.discovery.k8s.io', { namespace: OBSERVABILITY_NAMESPACE }),
        verb,
      ).toBe(true);
    expect(await plane.canI(user, 'list', 'endpointslices.discovery.k8s.io', { namespace: 'default' })).toBe(false);
    expect(
      await plane.canI(user, 'create', 'endpointslices.discovery.k8s.io', { namespace: OBSERVABILITY_NAMESPACE }),
    ).toBe(false);
    expect(await plane.canI(user, 'list', 'services', { namespace: OBSERVABILITY_NAMESPACE })).toBe(false);
  });

  it('finds the gateways from their EndpointSlice and follows its changes', async () => {
    const { process, metricsUrl } = await startAgent(AGENT_SERVICE_ACCOUNT);
    const expectBackends = async (count: number) =>
      waitUntil(async () => (await backends(metricsUrl)) === count, {
        what: `${count} gateway backends resolved\n${process.output.slice(-3000)}`,
        timeoutMs: 60_000,
        intervalMs: 500,
      });
    await expectBackends(2);
    await apply([endpointSlice(ADDRESSES)]); // scaled up
    await expectBackends(3);
    await apply([endpointSlice(ADDRESSES.slice(1))]); // one gateway gone: its share is routed to the others
    await expectBackends(2);
    expect(process.output).not.toMatch(/forbidden/i);
  });

  it('finds nothing without the Role (the check can fail): the API server forbids the endpointslices', async () => {
    const { process, metricsUrl } = await startAgent(UNBOUND_ACCOUNT, false);
    const refused = /endpointslices[^\n]*forbidden|forbidden[^\n]*endpointslices/i;
    await waitUntil(async () => refused.test(process.output), {
      what: `the API server to refuse the agent's endpointslices watch\n${process.output.slice(-3000)}`,
      timeoutMs: 60_000,
    });
    expect(await backends(metricsUrl).catch(() => 0)).toBe(0);
  });
});
