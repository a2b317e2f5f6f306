import type { ControlPlane } from '@otelkit/native-runtime';
import type { KubeObject } from './shipped-manifests.js';

/** A pod as the API server has it after the workload is created: what k8s_attributes should put on its spans. */
export interface WorkloadPod {
  name: string;
  uid: string;
  namespace: string;
  nodeName: string;
  ip: string;
  deployment: string;
  replicaSet: string;
  /** The Pod as the API server returned it after its status was set. */
  object: Record<string, unknown>;
  containers: Container[];
}

export interface WorkloadSpec {
  namespace: string;
  /** The Deployment as shipped (e.g. rendered from the demo chart): created as is, its pod template used for the pods. */
  deployment: KubeObject;
  /** The `pod-template-hash` of the ReplicaSet (its name is `<deployment>-<hash>`, as the controller names it). */
  templateHash: string;
  /** One pod per entry: the node it is bound to and the IP it gets through the status subresource. */
  pods: Array<{ nodeName: string; ip: string }>;
  /** status.hostIP of every pod (default 127.0.0.1). */
  hostIp?: string;
}

interface PodTemplate {
  metadata?: { labels?: Record<string, string> };
  spec: { containers: Container[]; [key: string]: unknown };
}

interface Container {
  name: string;
  env?: Array<{ name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string } } }>;
}

/**
 * Creates Namespace -> Deployment -> ReplicaSet -> Pods on a control plane without controllers, the way the
 * Deployment and ReplicaSet controllers would have: the shipped Deployment itself, a ReplicaSet named
 * `<deployment>-<pod-template-hash>` owned by it, each Pod made from the Deployment's pod template, owned by the
 * ReplicaSet, labelled with the hash and bound to a node; then sets each pod Running with its IP through the status
 * subresource (the kubelet's job). Returns the pods as the API server has them (uids included).
 */
export async function createWorkload(plane: ControlPlane, spec: WorkloadSpec): Promise<WorkloadPod[]> {
  const { namespace } = spec;
  const create = async (object: object) =>
    JSON.parse(await plane.kubectl(['create', '-o', 'json', '-f', '-'], { input: JSON.stringify(object) })) as {
      metadata: { uid: string; name: string };
    };
  const owner = (kind: string, created: { metadata: { uid: string; name: string } }) => ({
    apiVersion: 'apps/v1',
    kind,
    name: created.metadata.name,
    uid: created.metadata.uid,
    controller: true,
    blockOwnerDeletion: true,
  });
  await create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
  // the ServiceAccount admission plugin needs the namespace's default account (the token controller would make it)
  await create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace } });
  const deployment = await create({ ...spec.deployment, metadata: { ...spec.deployment.metadata, namespace } });
  const template = (spec.deployment.spec as { template: PodTemplate }).template;
  const podLabels = { ...template.metadata?.labels, 'pod-template-hash': spec.templateHash };
  const replicaSet = `${deployment.metadata.name}-${spec.templateHash}`;
  const createdReplicaSet = await create({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: replicaSet, namespace, labels: podLabels, ownerReferences: [owner('Deployment', deployment)] },
    spec: {
      replicas: spec.pods.length,
      selector: { matchLabels: podLabels },
      template: { ...template, metadata: { ...template.metadata, labels: podLabels } },
    },
  });
  const pods: WorkloadPod[] = [];
  for (const [index, { nodeName, ip }] of spec.pods.entries()) {
    const name = `${replicaSet}-pod${index}`;
    const created = await create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace, labels: podLabels, ownerReferences: [owner('ReplicaSet', createdReplicaSet)] },
      spec: { ...template.spec, nodeName },
    });
    const status = {
      phase: 'Running',
      podIP: ip,
      podIPs: [{ ip }],
      hostIP: spec.hostIp ?? '127.0.0.1',
      startTime: new Date().toISOString(),
    };
    const pod = JSON.parse(
      await plane.kubectl([
        'patch',
        'pod',
        name,
        `--namespace=${namespace}`,
        '--subresource=status',
        '--type=merge',
        `--patch=${JSON.stringify({ status })}`,
        '-o',
        'json',
      ]),
    ) as Record<string, unknown>;
    pods.push({
      name,
      uid: created.metadata.uid,
      namespace,
      nodeName,
      ip,
      deployment: deployment.metadata.name,
      replicaSet,
      object: pod,
      containers: template.spec.containers,
    });
  }
  return pods;
}

/**
 * The environment the kubelet would give a container of the pod from its downward-API entries
 * (`valueFrom.fieldRef.fieldPath`, resolved against the Pod object) and literal values; other sources (Secrets,
 * `$(VAR)` references) are left out.
 */
export function downwardApiEnv(pod: WorkloadPod, containerName: string): Record<string, string> {
  const container = pod.containers.find((c) => c.name === containerName);
  if (container === undefined) throw new Error(`pod ${pod.name} has no container ${containerName}`);
  const env: Record<string, string> = {};
  for (const entry of container.env ?? []) {
    const path = entry.valueFrom?.fieldRef?.fieldPath;
    if (path !== undefined) {
      const value = path
        .split('.')
        .reduce<unknown>((o, key) => (o as Record<string, unknown> | undefined)?.[key], pod.object);
      if (typeof value === 'string') env[entry.name] = value;
    } else if (entry.value !== undefined && !entry.value.includes('$(')) env[entry.name] = entry.value;
  }
  return env;
}
