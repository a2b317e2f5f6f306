import { containerDetector } from '@opentelemetry/resource-detector-container';
import {
  defaultResource,
  detectResources,
  hostDetector,
  processDetector,
  type Resource,
  resourceFromAttributes,
} from '@opentelemetry/resources';
import type { OtelkitConfig } from '../config/types.js';
import { LEGACY_K8S_ENV_WARNING_CODE, RESOURCE_ATTRIBUTES } from '../names.js';
import { legacyK8sEnvMessage } from './k8s-detector.js';
import { serviceInstanceId } from './service-instance-id.js';

/**
 * The process's resource, each layer overriding the ones before it:
 * 1. the SDK's identity, `telemetry.sdk.name`/`language`/`version` (upstream's default resource);
 * 2. host, process and container id (cgroup) detectors;
 * 3. Kubernetes pod metadata from the kit's downward-API variables (read by the config, k8s-detector.ts);
 * 4. `service.instance.id` (service-instance-id.ts);
 * 5. the user's attributes: OTEL_RESOURCE_ATTRIBUTES and options, then the resolved service name and version.
 * The container detector reads files asynchronously; its attributes arrive before the first export (resources
 * support async attributes).
 */
export function buildResource(config: OtelkitConfig): Resource {
  const k8s = config.kubernetes;
  if (k8s.legacyVariables.length > 0) {
    process.emitWarning(legacyK8sEnvMessage(k8s.legacyVariables), {
      type: 'DeprecationWarning',
      code: LEGACY_K8S_ENV_WARNING_CODE,
    });
  }
  const detected = detectResources({ detectors: [hostDetector, processDetector, containerDetector] });
  const explicit: Record<string, string> = {
    ...config.resourceAttributes,
    [RESOURCE_ATTRIBUTES.serviceName]: config.serviceName,
  };
  if (config.serviceVersion !== undefined) explicit[RESOURCE_ATTRIBUTES.serviceVersion] = config.serviceVersion;
  return defaultResource()
    .merge(detected)
    .merge(resourceFromAttributes(k8s.attributes))
    .merge(
      resourceFromAttributes({
        [RESOURCE_ATTRIBUTES.serviceInstanceId]: serviceInstanceId(config.resourceAttributes, k8s.attributes),
      }),
    )
    .merge(resourceFromAttributes(explicit));
}
