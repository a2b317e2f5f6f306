import { K8S_ENV, LEGACY_K8S_ENV, LEGACY_K8S_ENV_REQUIRED } from '../names.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The k8s.* attributes found in the environment, and the deprecated variables they came from (if any). */
export interface K8sEnvAttributes {
  attributes: Record<string, string>;
  /** The LEGACY_K8S_ENV variables read; empty when the attributes came from K8S_ENV or nothing was found. */
  legacyVariables: string[];
}

/**
 * Kubernetes pod metadata from the downward API, through the kit's own variables (K8S_ENV: OTELKIT_K8S_POD_NAME,
 * OTELKIT_K8S_POD_UID, OTELKIT_K8S_POD_IP, ...), which nothing outside the kit's manifests sets. `k8s.pod.ip` and
 * `k8s.pod.uid` let the collector's k8sattributes processor associate spans with the pod even when the connection's
 * source IP is a node or a proxy (hostPort, NAT, service mesh).
 *
 * When none of them is set, the deprecated unprefixed names (POD_NAME, POD_NAMESPACE, POD_UID, POD_IP, NODE_NAME,
 * CONTAINER_NAME) are read, but only as a complete set: POD_NAME, POD_NAMESPACE and POD_UID all set. A lone
 * CONTAINER_NAME or NODE_NAME, which many unrelated environments define, yields nothing.
 */
export function k8sAttributesFromEnv(env: Env): K8sEnvAttributes {
  const current = read(env, K8S_ENV);
  if (Object.keys(current).length > 0) return { attributes: current, legacyVariables: [] };
  if (!LEGACY_K8S_ENV_REQUIRED.every((variable) => value(env, variable) !== undefined)) {
    return { attributes: {}, legacyVariables: [] };
  }
  const legacyVariables = Object.keys(LEGACY_K8S_ENV).filter((variable) => value(env, variable) !== undefined);
  return { attributes: read(env, LEGACY_K8S_ENV), legacyVariables };
}

/** The deprecation message for the legacy variables read, naming the variable that replaces each. */
export function legacyK8sEnvMessage(legacyVariables: readonly string[]): string {
  const replacement = (variable: string): string =>
    Object.entries(K8S_ENV).find(
      ([, attribute]) => attribute === LEGACY_K8S_ENV[variable as keyof typeof LEGACY_K8S_ENV],
    )?.[0] ?? '?';
  return (
    `otelkit: the Kubernetes metadata was read from deprecated variables; rename them ` +
    `(${legacyVariables.map((v) => `${v} -> ${replacement(v)}`).join(', ')}). ` +
    'The unprefixed names will stop being read in a future release.'
  );
}

function read(env: Env, variables: Readonly<Record<string, string>>): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const [variable, attribute] of Object.entries(variables)) {
    const found = value(env, variable);
    if (found !== undefined) attributes[attribute] = found;
  }
  return attributes;
}

function value(env: Env, variable: string): string | undefined {
  const trimmed = env[variable]?.trim();
  return trimmed ? trimmed : undefined;
}
