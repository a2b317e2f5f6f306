import { randomUUID } from 'node:crypto';
import { RESOURCE_ATTRIBUTES } from '../names.js';

type Attributes = Readonly<Record<string, string>>;

/**
 * `service.instance.id`, which tells replicas of one service apart: the one the user set if any, else the pod's uid
 * (unique per pod, and the `uid` label of kube-state-metrics' `kube_pod_info`), else the pod's name, else a random
 * UUID (v4) generated once per process, as the semantic conventions recommend when there is no inherent id.
 * `explicit` are the user's attributes (OTEL_RESOURCE_ATTRIBUTES, options), which win over the `detected` ones.
 */
export function serviceInstanceId(explicit: Attributes, detected: Attributes): string {
  const first = (key: string): string | undefined => explicit[key] ?? detected[key];
  return (
    explicit[RESOURCE_ATTRIBUTES.serviceInstanceId] ??
    first(RESOURCE_ATTRIBUTES.k8sPodUid) ??
    first(RESOURCE_ATTRIBUTES.k8sPodName) ??
    randomUUID()
  );
}
