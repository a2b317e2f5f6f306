import type { K8sAttributesConfig } from './agent-config.js';

/** One rule of a (Cluster)Role. */
export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

/** What an informer needs: the processor only lists and watches (get is the conventional companion of both). */
export const INFORMER_VERBS: readonly string[] = ['get', 'list', 'watch'];

type Resource = { group: '' | 'apps' | 'batch'; resource: string };

/**
 * The RBAC rules the k8s_attributes processor needs for a given config: exactly the informers it starts.
 * Read from the processor's source at the pinned version (contrib v0.159.0, internal/kube/client.go `New`):
 * - pods: always (the pod informer, filtered by node);
 * - namespaces: only to extract namespace labels/annotations or `k8s.cluster.uid` (otherwise a no-op informer);
 * - replicasets: only for `k8s.deployment.uid`, deployment labels/annotations, or the deprecated
 *   `deployment_name_from_replicaset: false` (by default `k8s.deployment.name` is derived from the ReplicaSet name
 *   in the pod's ownerReferences, and `k8s.replicaset.name`/`k8s.statefulset.name` come from them directly);
 * - nodes: only for node labels/annotations or `k8s.node.uid` (`k8s.node.name` is the pod's spec.nodeName);
 * - deployments/statefulsets/daemonsets: only for their labels/annotations; jobs: for `from: job` or `k8s.cronjob.uid`.
 */
export function requiredRbacRules(config: K8sAttributesConfig): PolicyRule[] {
  const metadata = new Set(config.extract?.metadata ?? []);
  const sources = new Set(
    [...(config.extract?.labels ?? []), ...(config.extract?.annotations ?? [])].map((rule) => rule.from ?? 'pod'),
  );
  const needed: Resource[] = [{ group: '', resource: 'pods' }];
  if (sources.has('namespace') || metadata.has('k8s.cluster.uid')) needed.push({ group: '', resource: 'namespaces' });
  if (sources.has('node') || metadata.has('k8s.node.uid')) needed.push({ group: '', resource: 'nodes' });
  const replicaSetLookup =
    metadata.has('k8s.deployment.uid') ||
    sources.has('deployment') ||
    (metadata.has('k8s.deployment.name') && config.extract?.deployment_name_from_replicaset === false);
  if (replicaSetLookup) needed.push({ group: 'apps', resource: 'replicasets' });
  if (sources.has('deployment')) needed.push({ group: 'apps', resource: 'deployments' });
  if (sources.has('statefulset')) needed.push({ group: 'apps', resource: 'statefulsets' });
  if (sources.has('daemonset')) needed.push({ group: 'apps', resource: 'daemonsets' });
  if (sources.has('job') || metadata.has('k8s.cronjob.uid')) needed.push({ group: 'batch', resource: 'jobs' });

  const byGroup = new Map<string, string[]>();
  for (const { group, resource } of needed) byGroup.set(group, [...(byGroup.get(group) ?? []), resource]);
  return [...byGroup].map(([group, resources]) => ({
    apiGroups: [group],
    resources: resources.sort(),
    verbs: [...INFORMER_VERBS],
  }));
}
