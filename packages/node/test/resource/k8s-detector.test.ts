import { describe, expect, it } from 'vitest';
import { k8sDownwardApiDetector } from '../../src/resource/k8s-detector.js';

describe('k8sDownwardApiDetector', () => {
  it('maps downward-API variables to k8s resource attributes', () => {
    const { attributes } = k8sDownwardApiDetector({
      POD_NAME: 'demo-7d9f-abcde',
      POD_NAMESPACE: 'shop',
      POD_UID: '3f2a',
      POD_IP: '10.1.2.3',
      NODE_NAME: 'node-1',
      CONTAINER_NAME: 'api',
      UNRELATED: 'x',
    }).detect();
    expect(attributes).toEqual({
      'k8s.pod.name': 'demo-7d9f-abcde',
      'k8s.namespace.name': 'shop',
      'k8s.pod.uid': '3f2a',
      'k8s.pod.ip': '10.1.2.3',
      'k8s.node.name': 'node-1',
      'k8s.container.name': 'api',
    });
  });
  it('ignores unset and blank variables', () => {
    expect(k8sDownwardApiDetector({ POD_NAME: '  ' }).detect().attributes).toEqual({});
  });
});
