import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { type ControlPlane, REPO_ROOT, startControlPlane } from '@otelkit/native-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  crdFiles,
  crdWithoutTemplates,
  K8S_FILES,
  type KubeObject,
  readAgentConfig,
  requiredRbacRules,
  shippedManifests,
} from '../src/index.js';
import { installCrds } from './helpers.js';

/**
 * Every manifest the repository ships, applied with `kubectl apply --server-side --dry-run=server` to a real
 * kube-apiserver (tools/k8s/build.sh) with the upstream CRDs installed: the API server's own validation (schemas,
 * CRD openAPIV3Schema, unknown fields with --validate=strict, admission) rather than a schema copy. Then the RBAC of
 * the collector is installed for real and its service account is asked `kubectl auth can-i`.
 */
const sources = shippedManifests({ exclude: [K8S_FILES.upstreamCharts, K8S_FILES.upstreamCrds] });
const all = sources.flatMap((s) => s.objects);
let plane: ControlPlane;

const list = (objects: KubeObject[]) => JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects });
const RBAC_KINDS = new Set(['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding']);

beforeAll(async () => {
  plane = await startControlPlane();
  const crds = crdFiles();
  // the operator chart's CRD is a Helm template: installed without its conversion webhook (no operator runs here)
  await installCrds(
    plane,
    crds.map((crd) => crdWithoutTemplates(readFileSync(crd, 'utf8'))),
  );
  // A dry-run of a Namespace creates nothing, so the namespaces our objects live in are created for real.
  const namespaces = new Set([
    ...all.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name ?? ''),
    ...all.map((o) => o.metadata.namespace ?? ''),
  ]);
  namespaces.delete('');
  namespaces.delete('default');
  for (const ns of namespaces) await plane.kubectl(['create', 'namespace', ns]);
});
afterAll(async () => plane?.stop());

describe('shipped manifests on a real kube-apiserver', () => {
  it('finds the shipped manifests (the collector CR and RBAC at least) and installs the CRDs they use', async () => {
    expect(sources.map((s) => s.source)).toContain(relative(REPO_ROOT, K8S_FILES.operatorManifest));
    const installed = await plane.kubectl(['get', 'crd', '-o', 'jsonpath={.items[*].spec.group}']);
    const custom = all.filter((o) => o.apiVersion.includes('.') && !o.apiVersion.includes('.k8s.io/'));
    for (const o of custom) expect(installed.split(' '), o.kind).toContain(o.apiVersion.split('/')[0]);
  });

  it.each(sources.map((s) => [s.source, s] as const))(
    '%s passes kubectl apply --server-side --dry-run=server',
    async (_, { text, objects }) => {
      const out = await plane.kubectl(
        ['apply', '--server-side', '--dry-run=server', '--validate=strict', '--field-manager=otelkit', '-f', '-'],
        { input: text },
      );
      expect(out.split('\n')).toHaveLength(objects.length);
    },
  );
});

describe("the agent collector's RBAC (K8S_FILES.operatorManifest), installed for real", () => {
  const rbac = sources
    .filter((s) => s.source === relative(REPO_ROOT, K8S_FILES.operatorManifest))
    .flatMap((s) => s.objects)
    .filter((o) => RBAC_KINDS.has(o.kind));
  const accounts = rbac
    .filter((o) => o.kind === 'ServiceAccount')
    .map((o) => `system:serviceaccount:${o.metadata.namespace ?? 'default'}:${o.metadata.name ?? ''}`);

  beforeAll(async () => {
    await plane.kubectl(['apply', '--server-side', '--field-manager=otelkit', '-f', '-'], { input: list(rbac) });
  });

  it('ships one service account for the collector, bound to a role', () => {
    expect(accounts).toHaveLength(1);
    expect(rbac.some((o) => o.kind === 'ClusterRoleBinding' || o.kind === 'RoleBinding')).toBe(true);
  });

  it('the service account can do what k8s_attributes needs for the agent config, in every namespace', async () => {
    const needed = requiredRbacRules(readAgentConfig().config.processors.k8s_attributes);
    for (const user of accounts) {
      for (const rule of needed) {
        for (const resource of rule.resources) {
          const qualified = [resource, ...rule.apiGroups.filter((g) => g !== '')].join('.');
          for (const verb of rule.verbs) {
            expect(
              await plane.canI(user, verb, qualified, { namespace: 'any-namespace' }),
              `${user} ${verb} ${qualified}`,
            ).toBe(true);
          }
        }
      }
    }
  });

  it.each([
    ['create', 'pods', ''],
    ['delete', 'pods', ''],
    ['patch', 'pods', ''],
    ['get', 'secrets', ''],
    ['list', 'secrets', ''],
    ['get', 'configmaps', ''],
    ['create', 'deployments.apps', ''],
    ['update', 'replicasets.apps', ''],
    ['create', 'pods', 'exec'],
    ['create', 'serviceaccounts', 'token'],
    ['*', '*', ''],
  ])('the service account cannot %s %s %s', async (verb, resource, subresource) => {
    for (const user of accounts) {
      expect(
        await plane.canI(user, verb, resource, { namespace: 'kube-system', subresource: subresource || undefined }),
      ).toBe(false);
    }
  });

  it('every rule the service account has is read-only (get/list/watch)', async () => {
    for (const user of accounts) {
      const rules = await plane.kubectl(['auth', 'can-i', '--list', '--namespace=kube-system'], { as: user });
      const writes = rules
        .split('\n')
        .slice(1)
        .filter((line) => /\[[^\]]*\b(create|update|patch|delete|deletecollection|\*)\b[^\]]*\]\s*$/.test(line))
        // the API server grants every authenticated user these reviews of itself (system:basic-user)
        .filter((line) => !/^self\w+reviews\./.test(line.trim()));
      expect(writes, rules).toEqual([]);
    }
  });
});
