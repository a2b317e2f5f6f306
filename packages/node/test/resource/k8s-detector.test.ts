import { describe, expect, it } from 'vitest';
import { K8S_ENV, LEGACY_K8S_ENV } from '../../src/names.js';
import { k8sAttributesFromEnv, legacyK8sEnvMessage } from '../../src/resource/k8s-detector.js';

const pod = {
  'k8s.pod.name': 'demo-7d9f-abcde',
  'k8s.namespace.name': 'shop',
  'k8s.pod.uid': '3f2a',
  'k8s.pod.ip': '10.1.2.3',
  'k8s.node.name': 'node-1',
  'k8s.container.name': 'api',
};
/** The environment that sets `pod` through the given variable names. */
const envFor = (variables: Readonly<Record<string, string>>) =>
  Object.fromEntries(Object.entries(variables).map(([name, attribute]) => [name, pod[attribute as keyof typeof pod]]));

describe('k8sAttributesFromEnv', () => {
  it("maps the kit's OTELKIT_K8S_* variables to k8s.* resource attributes", () => {
    expect(k8sAttributesFromEnv({ ...envFor(K8S_ENV), UNRELATED: 'x' })).toEqual({
      attributes: pod,
      legacyVariables: [],
    });
    expect(Object.keys(K8S_ENV).every((name) => name.startsWith('OTELKIT_K8S_'))).toBe(true);
  });

  it('takes any subset of the prefixed variables (a pod with only its IP)', () => {
    expect(k8sAttributesFromEnv({ OTELKIT_K8S_POD_IP: '10.1.2.3' }).attributes).toEqual({ 'k8s.pod.ip': '10.1.2.3' });
  });

  it('ignores unset and blank variables', () => {
    expect(k8sAttributesFromEnv({ OTELKIT_K8S_POD_NAME: '  ' }).attributes).toEqual({});
  });

  it('reads nothing from the unprefixed names an unrelated environment may set', () => {
    const hostile = { CONTAINER_NAME: 'build-runner', NODE_NAME: 'ci-worker-3', POD_NAME: 'my-pod', POD_IP: '1.2.3.4' };
    expect(k8sAttributesFromEnv(hostile)).toEqual({ attributes: {}, legacyVariables: [] });
    expect(k8sAttributesFromEnv({ POD_NAME: 'a', POD_NAMESPACE: 'b' })).toEqual({
      attributes: {},
      legacyVariables: [],
    });
  });

  it('reads the deprecated names only as a complete set (pod name, namespace and uid), and says so', () => {
    expect(k8sAttributesFromEnv(envFor(LEGACY_K8S_ENV))).toEqual({
      attributes: pod,
      legacyVariables: Object.keys(LEGACY_K8S_ENV),
    });
    const { POD_NAME, POD_NAMESPACE, POD_UID } = envFor(LEGACY_K8S_ENV);
    expect(k8sAttributesFromEnv({ POD_NAME, POD_NAMESPACE, POD_UID })).toEqual({
      attributes: { 'k8s.pod.name': POD_NAME, 'k8s.namespace.name': POD_NAMESPACE, 'k8s.pod.uid': POD_UID },
      legacyVariables: ['POD_NAME', 'POD_NAMESPACE', 'POD_UID'],
    });
  });

  it('ignores the deprecated names as soon as one prefixed variable is set', () => {
    expect(k8sAttributesFromEnv({ ...envFor(LEGACY_K8S_ENV), OTELKIT_K8S_POD_IP: '10.9.9.9' })).toEqual({
      attributes: { 'k8s.pod.ip': '10.9.9.9' },
      legacyVariables: [],
    });
  });

  it('names the replacement of every deprecated variable read', () => {
    expect(legacyK8sEnvMessage(['POD_NAME', 'NODE_NAME', 'CONTAINER_NAME'])).toContain(
      'POD_NAME -> OTELKIT_K8S_POD_NAME, NODE_NAME -> OTELKIT_K8S_NODE_NAME, CONTAINER_NAME -> OTELKIT_K8S_CONTAINER_NAME',
    );
  });
});
