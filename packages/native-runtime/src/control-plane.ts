import { execFile } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManagedProcess } from './managed-process.js';
import { freePort } from './ports.js';
import { toolBinary } from './repo-paths.js';
import { waitUntil } from './wait.js';

/** Paths of the control-plane binaries (tools/k8s/build.sh puts them in .tools/bin). */
export interface ControlPlaneBinaries {
  etcd: string;
  kubeApiserver: string;
  kubectl: string;
}

export interface ControlPlaneOptions {
  binaries: ControlPlaneBinaries;
  /** Where data, keys, kubeconfig and logs go; a fresh temporary folder (removed on stop) by default. */
  dir?: string;
  /** Cluster IP range of Services (no Service ever gets routed: nothing runs). */
  serviceClusterIpRange?: string;
}

/** The user of the kubeconfig: member of system:masters, so every request is allowed. */
export const CONTROL_PLANE_ADMIN = 'otelkit-admin';

/**
 * A throw-away Kubernetes control plane on 127.0.0.1: etcd and kube-apiserver on free ports, with a private data dir,
 * generated service-account keys, a static admin token (system:masters) and RBAC authorization, so
 * `kubectl auth can-i --as system:serviceaccount:...` answers as a cluster would. No scheduler, kubelet or controller
 * runs: objects are real API objects, pods stay Pending unless a test sets their status through the status
 * subresource. `stop()` stops both processes and removes the folder it created.
 */
export class ControlPlane {
  private constructor(
    readonly dir: string,
    /** https://127.0.0.1:<port> */
    readonly server: string,
    /** A kubeconfig file (token user, the apiserver's self-signed CA) for kubectl and client-go. */
    readonly kubeconfig: string,
    private readonly binaries: ControlPlaneBinaries,
    private readonly processes: ManagedProcess[],
    private readonly ownsDir: boolean,
  ) {}

  static async start(options: ControlPlaneOptions): Promise<ControlPlane> {
    const ownsDir = options.dir === undefined;
    const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'otelkit-k8s-'));
    for (const [name, path] of Object.entries(options.binaries)) {
      if (!existsSync(path)) throw new Error(`${name} not found at ${path}: run \`bash tools/k8s/build.sh\``);
    }
    const [etcdClient, etcdPeer, apiserverPort] = [await freePort(), await freePort(), await freePort()];
    const pki = join(dir, 'pki');
    mkdirSync(pki, { recursive: true });
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const saKey = join(pki, 'service-account.key');
    const saPub = join(pki, 'service-account.pub');
    writeFileSync(saKey, privateKey.export({ type: 'pkcs1', format: 'pem' }), { mode: 0o600 });
    writeFileSync(saPub, publicKey.export({ type: 'spki', format: 'pem' }));
    const token = randomBytes(24).toString('hex');
    const tokens = join(pki, 'tokens.csv');
    writeFileSync(tokens, `${token},${CONTROL_PLANE_ADMIN},${CONTROL_PLANE_ADMIN},system:masters\n`, { mode: 0o600 });

    const etcdUrl = `http://127.0.0.1:${etcdClient}`;
    const peerUrl = `http://127.0.0.1:${etcdPeer}`;
    const etcd = new ManagedProcess({
      name: 'etcd',
      command: options.binaries.etcd,
      args: [
        '--name=otelkit',
        `--data-dir=${join(dir, 'etcd')}`,
        `--listen-client-urls=${etcdUrl}`,
        `--advertise-client-urls=${etcdUrl}`,
        `--listen-peer-urls=${peerUrl}`,
        `--initial-advertise-peer-urls=${peerUrl}`,
        `--initial-cluster=otelkit=${peerUrl}`,
        // throw-away data: no fsync keeps a busy 2-core machine responsive
        '--unsafe-no-fsync',
        '--log-level=warn',
      ],
      logFile: join(dir, 'logs', 'etcd.log'),
      readyUrl: `${etcdUrl}/health`,
      readyTimeoutMs: 60_000,
    });
    const server = `https://127.0.0.1:${apiserverPort}`;
    const certDir = join(pki, 'serving');
    const apiserver = new ManagedProcess({
      name: 'kube-apiserver',
      command: options.binaries.kubeApiserver,
      args: [
        `--etcd-servers=${etcdUrl}`,
        '--bind-address=127.0.0.1',
        '--advertise-address=127.0.0.1',
        `--secure-port=${apiserverPort}`,
        `--cert-dir=${certDir}`,
        `--service-account-key-file=${saPub}`,
        `--service-account-signing-key-file=${saKey}`,
        '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
        `--token-auth-file=${tokens}`,
        '--authorization-mode=RBAC',
        `--service-cluster-ip-range=${options.serviceClusterIpRange ?? '10.96.0.0/16'}`,
        '--endpoint-reconciler-type=none',
        '--profiling=false',
      ],
      logFile: join(dir, 'logs', 'kube-apiserver.log'),
    });
    const kubeconfig = join(dir, 'kubeconfig');
    writeKubeconfig(kubeconfig, server, join(certDir, 'apiserver.crt'), CONTROL_PLANE_ADMIN, token);
    const plane = new ControlPlane(dir, server, kubeconfig, options.binaries, [apiserver, etcd], ownsDir);
    try {
      await etcd.start();
      await apiserver.start();
      await waitUntil(
        async () => {
          if (!apiserver.running) throw new Error(`kube-apiserver exited during start-up:\n${apiserver.output}`);
          return (await plane.kubectl(['get', '--raw=/readyz']).catch(() => '')) === 'ok';
        },
        { what: `kube-apiserver to be ready at ${server}/readyz`, timeoutMs: 180_000, intervalMs: 1_000 },
      );
    } catch (error) {
      await plane.stop();
      throw error;
    }
    return plane;
  }

  /** Runs kubectl against this control plane; resolves with stdout, rejects with stderr on a non-zero exit. */
  async kubectl(args: string[], options: { input?: string; as?: string } = {}): Promise<string> {
    const result = await this.run(args, options);
    if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')} (exit ${result.code}): ${result.stderr}`);
    return result.stdout;
  }

  /** `kubectl auth can-i VERB RESOURCE --as USER`: kubectl prints yes or no (and exits 1 for no). */
  async canI(
    user: string,
    verb: string,
    resource: string,
    options: { namespace?: string; subresource?: string } = {},
  ): Promise<boolean> {
    const args = ['auth', 'can-i', verb, resource];
    if (options.namespace !== undefined) args.push(`--namespace=${options.namespace}`);
    if (options.subresource !== undefined) args.push(`--subresource=${options.subresource}`);
    const result = await this.run(args, { as: user });
    if (result.stdout === 'yes' || result.stdout === 'no') return result.stdout === 'yes';
    throw new Error(`kubectl ${args.join(' ')} --as ${user}: ${result.stderr}`);
  }

  private run(
    args: string[],
    options: { input?: string; as?: string },
  ): Promise<{ code: number; stdout: string; stderr: string }> {
    const asUser = options.as === undefined ? [] : [`--as=${options.as}`];
    return new Promise((resolve) => {
      const child = execFile(
        this.binaries.kubectl,
        [`--kubeconfig=${this.kubeconfig}`, ...asUser, ...args],
        { maxBuffer: 64 * 1024 * 1024, env: { PATH: process.env.PATH ?? '', HOME: this.dir } },
        (error, stdout, stderr) => {
          const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
          resolve({ code, stdout: stdout.trim(), stderr: stderr.trim() || (error?.message ?? '') });
        },
      );
      child.stdin?.end(options.input);
    });
  }

  /**
   * A kubeconfig (written to `path`) that authenticates as a service account: a token from the TokenRequest API
   * (`kubectl create token`), so a client runs with exactly the RBAC granted to that account.
   */
  async serviceAccountKubeconfig(namespace: string, name: string, path: string): Promise<string> {
    const token = await this.kubectl(['create', 'token', name, `--namespace=${namespace}`, '--duration=2h']);
    const ca = join(this.dir, 'pki', 'serving', 'apiserver.crt');
    writeKubeconfig(path, this.server, ca, `system:serviceaccount:${namespace}:${name}`, token);
    return path;
  }

  /** Stops kube-apiserver, then etcd; removes the folder when start() created it. */
  async stop(): Promise<void> {
    for (const process of this.processes) await process.stop();
    if (this.ownsDir) rmSync(this.dir, { recursive: true, force: true });
  }

  /** The logs of both processes (the last 20 kB each), for failure messages. */
  get output(): string {
    return this.processes.map((p) => `--- ${p.options.name}\n${p.output}`).join('\n');
  }
}

/** A kubeconfig with one cluster (server, CA file) and one token user, as its current context. */
function writeKubeconfig(path: string, server: string, ca: string, user: string, token: string): void {
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    // the CA: the self-signed serving certificate kube-apiserver writes into --cert-dir (it is its own CA)
    clusters: [{ name: 'otelkit', cluster: { server, 'certificate-authority': ca } }],
    users: [{ name: user, user: { token } }],
    contexts: [{ name: 'otelkit', context: { cluster: 'otelkit', user } }],
    'current-context': 'otelkit',
  };
  writeFileSync(path, JSON.stringify(config), { mode: 0o600 });
}

/** A throw-away control plane from the binaries tools/k8s/build.sh puts in .tools/bin. */
export function startControlPlane(dir?: string): Promise<ControlPlane> {
  return ControlPlane.start({
    binaries: { etcd: toolBinary('etcd'), kubeApiserver: toolBinary('kube-apiserver'), kubectl: toolBinary('kubectl') },
    dir,
  });
}
