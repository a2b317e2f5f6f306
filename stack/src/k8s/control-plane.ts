import { ControlPlane } from '@otelkit/testkit';
import { toolBinary } from '../paths.js';

/** A throw-away control plane (testkit's ControlPlane) from the binaries tools/k8s/build.sh puts in .tools/bin. */
export function startControlPlane(dir?: string): Promise<ControlPlane> {
  return ControlPlane.start({
    binaries: { etcd: toolBinary('etcd'), kubeApiserver: toolBinary('kube-apiserver'), kubectl: toolBinary('kubectl') },
    dir,
  });
}
