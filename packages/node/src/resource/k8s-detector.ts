import type { DetectedResource, ResourceDetector } from '@opentelemetry/resources';
import { K8S_ENV } from '../names.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Kubernetes pod metadata from the downward API: POD_NAME, POD_NAMESPACE, POD_UID, POD_IP, NODE_NAME and
 * CONTAINER_NAME become k8s.* resource attributes. `k8s.pod.ip` and `k8s.pod.uid` let the collector's
 * k8sattributes processor associate spans with the pod even when the connection's source IP is a node or a
 * proxy (hostPort, NAT, service mesh). Attributes given in OTEL_RESOURCE_ATTRIBUTES win, since they are merged
 * after this detector.
 */
export function k8sDownwardApiDetector(env: Env = process.env): ResourceDetector {
  return {
    detect(): DetectedResource {
      const attributes: Record<string, string> = {};
      for (const [variable, attribute] of Object.entries(K8S_ENV)) {
        const value = env[variable]?.trim();
        if (value) attributes[attribute] = value;
      }
      return { attributes };
    },
  };
}
