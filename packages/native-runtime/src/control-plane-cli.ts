#!/usr/bin/env node
/**
 * `npm run k8s:control-plane`: a throw-away Kubernetes control plane (etcd + kube-apiserver on 127.0.0.1, free ports,
 * temporary folder) for trying manifests by hand. Prints the kubeconfig path; Ctrl-C stops it and removes its folder.
 */
import { startControlPlane } from './control-plane.js';
import { log, stopOnSignals } from './cli-support.js';

log('starting etcd and kube-apiserver on 127.0.0.1 (tens of seconds)');
const plane = await startControlPlane().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
log(`kube-apiserver is ready at ${plane.server} (data and logs in ${plane.dir})`);
log(`  export KUBECONFIG=${plane.kubeconfig}   # then .tools/bin/kubectl ...`);
log('Ctrl-C stops it and removes the folder.');

stopOnSignals(() => plane.stop());
