import type { ControlPlane } from '@otelkit/testkit';

/** A pod as the API server has it after the workload is created: what k8s_attributes should put on its spans. */
export interface WorkloadPod {
  name: string;
  uid: string;
  namespace: string;
  nodeName: string;
  ip: string;
  deployment: string;
  replicaSet: string;
}

export interface WorkloadSpec {
  namespace: string;
  deployment: string;
  /** The `pod-template-hash` of the ReplicaSet (its name is `<deployment>-<hash>`, as the controller names it). */
  templateHash: string;
  /** One pod per entry: the node it is bound to and the IP it gets through the status subresource. */
  pods: Array<{ nodeName: string; ip: string }>;
  labels: Record<string, string>;
}

/**
 * Creates Namespace -> Deployment -> ReplicaSet -> Pods on a control plane without controllers, the way the
 * Deployment and ReplicaSet controllers would have: the ReplicaSet named `<deployment>-<pod-template-hash>` and owned
 * by the Deployment, each Pod owned by the ReplicaSet, labelled with the hash, bound to a node; then sets each pod
 * Running with its IP through the status subresource (the kubelet's job). Returns the pods as the API server has
 * them (uids included).
 */
export async function createWorkload(plane: ControlPlane, spec: WorkloadSpec): Promise<WorkloadPod[]> {
  const { namespace, deployment } = spec;
  const apply = async (object: object) =>
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
  await apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
  // the ServiceAccount admission plugin needs the namespace's default account (the token controller would make it)
  await apply({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace } });
  const container = { name: deployment, image: `${deployment}:test` };
  const template = { metadata: { labels: spec.labels }, spec: { containers: [container] } };
  const createdDeployment = await apply({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: deployment, namespace, labels: spec.labels },
    spec: { replicas: spec.pods.length, selector: { matchLabels: spec.labels }, template },
  });
  const podLabels = { ...spec.labels, 'pod-template-hash': spec.templateHash };
  const replicaSet = `${deployment}-${spec.templateHash}`;
  const createdReplicaSet = await apply({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: replicaSet,
      namespace,
      labels: podLabels,
      ownerReferences: [owner('Deployment', createdDeployment)],
    },
    spec: {
      replicas: spec.pods.length,
      selector: { matchLabels: podLabels },
      template: { ...template, metadata: { labels: podLabels } },
    },
  });
  const pods: WorkloadPod[] = [];
  for (const [index, { nodeName, ip }] of spec.pods.entries()) {
    const name = `${replicaSet}-pod${index}`;
    const created = await apply({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace, labels: podLabels, ownerReferences: [owner('ReplicaSet', createdReplicaSet)] },
      spec: { nodeName, containers: [container] },
    });
    await plane.kubectl([
      'patch',
      'pod',
      name,
      `--namespace=${namespace}`,
      '--subresource=status',
      '--type=merge',
      `--patch=${JSON.stringify({
        status: { phase: 'Running', podIP: ip, podIPs: [{ ip }], startTime: new Date().toISOString() },
      })}`,
    ]);
    pods.push({ name, uid: created.metadata.uid, namespace, nodeName, ip, deployment, replicaSet });
  }
  return pods;
}
