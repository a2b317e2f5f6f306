#!/usr/bin/env node
/**
 * `npm run k8s:control-plane`: a throw-away Kubernetes control plane (etcd + kube-apiserver on 127.0.0.1, free ports,
 * temporary folder) for trying manifests by hand. Prints the kubeconfig path; Ctrl-C stops it and removes its folder.
 */
import { startControlPlane } from './control-plane.js';
import { log, parseCommandLine, stopOnSignals } from './cli-support.js';

parseCommandLine({
  usage: `Usage: npm run k8s:control-plane

Starts a throw-away Kubernetes control plane (etcd and kube-apiserver on 127.0.0.1, free ports, a temporary
folder) and prints the kubeconfig to use with kubectl. Ctrl-C stops it and removes the folder.
  -h, --help  this text`,
  options: {},
});

log('starting etcd and kube-apiserver on 127.0.0.1 (tens of seconds)');
const plane = await startControlPlane().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
log(`kube-apiserver is ready at ${plane.server} (data and logs in ${plane.dir})`);
log(`  export KUBECONFIG=${plane.kubeconfig}   # then .tools/bin/kubectl ...`);
log('Ctrl-C stops it and removes the folder.');

stopOnSignals(() => plane.stop());
