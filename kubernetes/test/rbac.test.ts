import { describe, expect, it } from 'vitest';
import { operatorResources, readAgentConfig, requiredRbacRules } from '../src/index.js';
import { readValues } from './helpers.js';

const agent = readAgentConfig().config.processors.k8s_attributes;

describe('requiredRbacRules (what k8s_attributes starts informers for)', () => {
  it('needs get/list/watch on pods alone for the agent config: everything comes from the Pod and its owners', () => {
    expect(requiredRbacRules(agent)).toEqual([
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
    ]);
  });
  it('adds namespaces, nodes, replicasets, deployments and jobs only for the settings that start their informers', () => {
    expect(
      requiredRbacRules({
        extract: {
          metadata: ['k8s.cluster.uid', 'k8s.node.uid', 'k8s.deployment.uid', 'k8s.cronjob.uid'],
          labels: [{ key: 'team', from: 'deployment' }],
        },
      }),
    ).toEqual([
      { apiGroups: [''], resources: ['namespaces', 'nodes', 'pods'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['apps'], resources: ['deployments', 'replicasets'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['batch'], resources: ['jobs'], verbs: ['get', 'list', 'watch'] },
    ]);
    expect(
      requiredRbacRules({ extract: { metadata: ['k8s.deployment.name'], deployment_name_from_replicaset: false } }),
    ).toContainEqual({ apiGroups: ['apps'], resources: ['replicasets'], verbs: ['get', 'list', 'watch'] });
    expect(requiredRbacRules({ extract: { labels: [{ key: 'zone', from: 'namespace' }] } })[0]?.resources).toEqual([
      'namespaces',
      'pods',
    ]);
  });
});

describe('the shipped ClusterRoles', () => {
  const expected = requiredRbacRules(agent);
  it('collector/kubernetes/opentelemetrycollector.yaml grants exactly get/list/watch on pods, bound to the agent', () => {
    const resources = operatorResources() as Array<Record<string, any>>;
    const roles = resources.filter((r) => r.kind === 'ClusterRole' || r.kind === 'Role');
    expect(roles).toHaveLength(1);
    expect(roles[0]?.rules).toEqual(expected);
    const binding = resources.find((r) => r.kind === 'ClusterRoleBinding');
    const collector = resources.find((r) => r.kind === 'OpenTelemetryCollector');
    expect(binding?.roleRef).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: roles[0]?.metadata.name,
    });
    expect(binding?.subjects).toEqual([
      { kind: 'ServiceAccount', name: collector?.spec.serviceAccount, namespace: collector?.metadata.namespace },
    ]);
  });
  it('helm-values/opentelemetry-collector.yaml creates the same ClusterRole and no preset adds rules', () => {
    const values = readValues('collector') as Record<string, any>;
    expect(values.clusterRole).toEqual({ create: true, rules: expected });
    for (const [name, preset] of Object.entries(values.presets as Record<string, { enabled: boolean }>)) {
      expect(preset.enabled, name).toBe(false);
    }
  });
  it('never grants write verbs, wildcards or secrets anywhere', () => {
    const all = [...expected, ...(readValues('collector') as any).clusterRole.rules];
    for (const rule of all) {
      expect(rule.verbs.every((v: string) => ['get', 'list', 'watch'].includes(v))).toBe(true);
      expect(rule.resources).not.toContain('*');
      expect(rule.resources).not.toContain('secrets');
    }
  });
});
