import { SDK_INFO } from '@opentelemetry/core';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/resolve-config.js';
import { LEGACY_K8S_ENV_WARNING_CODE } from '../../src/names.js';
import { buildResource } from '../../src/resource/build-resource.js';

const resourceOf = async (env: Record<string, string>) => {
  const resource = buildResource(resolveConfig({}, env));
  await resource.waitForAsyncAttributes?.();
  return resource.attributes;
};
const sdk = {
  'telemetry.sdk.name': 'opentelemetry',
  'telemetry.sdk.language': 'nodejs',
  'telemetry.sdk.version': SDK_INFO['telemetry.sdk.version'],
};
const warnings: Error[] = [];
const onWarning = (warning: Error) => warnings.push(warning);
afterEach(() => {
  process.off('warning', onWarning);
  warnings.length = 0;
});

describe('buildResource', () => {
  it("always carries the SDK's identity, the service and a service.instance.id; no k8s.* outside Kubernetes", async () => {
    const attributes = await resourceOf({ OTEL_SERVICE_NAME: 'checkout', CONTAINER_NAME: 'x', NODE_NAME: 'y' });
    expect(attributes).toMatchObject({ ...sdk, 'service.name': 'checkout', 'process.pid': process.pid });
    expect(attributes['service.instance.id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(Object.keys(attributes).filter((key) => key.startsWith('k8s.'))).toEqual([]);
  });

  it('takes pod metadata from OTELKIT_K8S_*, and the pod uid as service.instance.id', async () => {
    const attributes = await resourceOf({
      OTELKIT_K8S_POD_NAME: 'api-1',
      OTELKIT_K8S_NAMESPACE_NAME: 'shop',
      OTELKIT_K8S_POD_UID: 'uid-1',
    });
    expect(attributes).toMatchObject({
      ...sdk,
      'k8s.pod.name': 'api-1',
      'k8s.namespace.name': 'shop',
      'k8s.pod.uid': 'uid-1',
      'service.instance.id': 'uid-1',
    });
  });

  it('lets OTEL_RESOURCE_ATTRIBUTES override everything detected, the SDK identity included (as upstream)', async () => {
    const attributes = await resourceOf({
      OTELKIT_K8S_POD_UID: 'uid-1',
      OTEL_RESOURCE_ATTRIBUTES: 'k8s.pod.uid=uid-2,host.name=h,telemetry.sdk.name=custom,service.instance.id=i-9',
    });
    expect(attributes).toMatchObject({
      'k8s.pod.uid': 'uid-2',
      'host.name': 'h',
      'telemetry.sdk.name': 'custom',
      'service.instance.id': 'i-9',
    });
  });

  it('reads the deprecated complete set with a DeprecationWarning', async () => {
    process.on('warning', onWarning);
    const attributes = await resourceOf({ POD_NAME: 'api-1', POD_NAMESPACE: 'shop', POD_UID: 'uid-1' });
    expect(attributes).toMatchObject({ 'k8s.pod.name': 'api-1', 'service.instance.id': 'uid-1' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings.map((w) => [w.name, (w as { code?: string }).code])).toEqual([
      ['DeprecationWarning', LEGACY_K8S_ENV_WARNING_CODE],
    ]);
  });
});
