import { containerDetector } from '@opentelemetry/resource-detector-container';
import {
  detectResources,
  hostDetector,
  processDetector,
  type Resource,
  resourceFromAttributes,
} from '@opentelemetry/resources';
import type { OtelkitConfig } from '../config/types.js';
import { RESOURCE_ATTRIBUTES } from '../names.js';
import { k8sDownwardApiDetector } from './k8s-detector.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The process's resource, lowest precedence first: host, process, container id (from cgroup), Kubernetes downward
 * API, then OTEL_RESOURCE_ATTRIBUTES/options and the service name and version. The container detector reads files
 * asynchronously; its attributes arrive before the first export (resources support async attributes).
 */
export function buildResource(config: OtelkitConfig, env: Env): Resource {
  const detected = detectResources({
    detectors: [hostDetector, processDetector, containerDetector, k8sDownwardApiDetector(env)],
  });
  const explicit: Record<string, string> = {
    ...config.resourceAttributes,
    [RESOURCE_ATTRIBUTES.serviceName]: config.serviceName,
  };
  if (config.serviceVersion !== undefined) explicit[RESOURCE_ATTRIBUTES.serviceVersion] = config.serviceVersion;
  return detected.merge(resourceFromAttributes(explicit));
}
