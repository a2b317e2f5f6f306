import { describe, expect, it } from 'vitest';
import { serviceInstanceId } from '../../src/resource/service-instance-id.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('serviceInstanceId', () => {
  it("is the user's service.instance.id when set", () => {
    expect(serviceInstanceId({ 'service.instance.id': 'mine' }, { 'k8s.pod.uid': 'uid-1' })).toBe('mine');
  });
  it("is the pod's uid, else the pod's name, in Kubernetes (the user's k8s.* attributes first)", () => {
    expect(serviceInstanceId({}, { 'k8s.pod.uid': 'uid-1', 'k8s.pod.name': 'pod-a' })).toBe('uid-1');
    expect(serviceInstanceId({ 'k8s.pod.uid': 'uid-2' }, { 'k8s.pod.uid': 'uid-1' })).toBe('uid-2');
    expect(serviceInstanceId({}, { 'k8s.pod.name': 'pod-a', 'k8s.pod.ip': '10.0.0.1' })).toBe('pod-a');
  });
  it('is a random UUID v4 elsewhere, a different one per call (per process: it is computed once at start)', () => {
    const [a, b] = [serviceInstanceId({}, {}), serviceInstanceId({}, {})];
    expect(a).toMatch(UUID_V4);
    expect(b).toMatch(UUID_V4);
    expect(a).not.toBe(b);
  });
});
