import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { K8S_FILES } from './paths.js';

/** The `k8s_attributes` processor settings that decide which informers (and so which RBAC) it needs. */
export interface K8sAttributesConfig {
  auth_type?: string;
  filter?: { node_from_env_var?: string; namespace?: string };
  extract?: {
    metadata?: string[];
    labels?: Array<{ key?: string; key_regex?: string; from?: string; tag_name?: string }>;
    annotations?: Array<{ key?: string; key_regex?: string; from?: string; tag_name?: string }>;
    deployment_name_from_replicaset?: boolean;
  };
  pod_association?: Array<{ sources: Array<{ from: string; name?: string }> }>;
}

export interface AgentConfig {
  /** The file as written (comments included). */
  text: string;
  /** The parsed config. */
  config: {
    processors: { k8s_attributes: K8sAttributesConfig } & Record<string, unknown>;
    service: { pipelines: Record<string, { receivers: string[]; processors?: string[]; exporters: string[] }> };
  } & Record<string, unknown>;
}

/** Reads collector/config.agent.yaml, the single source of the agent collector's config. */
export function readAgentConfig(path: string = K8S_FILES.agentConfig): AgentConfig {
  const text = readFileSync(path, 'utf8');
  const config = parse(text) as AgentConfig['config'];
  if (!config?.processors?.k8s_attributes) throw new Error(`${path}: no processors.k8s_attributes`);
  return { text, config };
}

/** The environment variable k8s_attributes reads the node name from (set from the downward API's spec.nodeName). */
export function nodeNameVariable(config: K8sAttributesConfig): string {
  const name = config.filter?.node_from_env_var;
  if (!name) throw new Error('k8s_attributes has no filter.node_from_env_var: a DaemonSet agent must filter by node');
  return name;
}
