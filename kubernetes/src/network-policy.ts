/**
 * The semantics of networking.k8s.io/v1 NetworkPolicy, for proving which connections a set of policies allows
 * without a CNI (the test kube-apiserver has none): a connection from pod A to port P of pod B is allowed when A's
 * egress and B's ingress both allow it. A pod no policy selects for a direction is open in that direction; once one
 * selects it, only what some rule of the selecting policies allows gets through (policies add up, never subtract).
 * ipBlock peers are not modelled (they never match a pod here); named ports resolve on the destination pod.
 */

/** A pod as the policies see it: namespace, labels and its named container ports. */
export interface PolicyPod {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  ports?: Record<string, number>;
}

interface Selector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}
interface Peer {
  podSelector?: Selector;
  namespaceSelector?: Selector;
  ipBlock?: unknown;
}
interface PolicyPort {
  port?: number | string;
  protocol?: string;
}
interface Rule {
  from?: Peer[];
  to?: Peer[];
  ports?: PolicyPort[];
}
export interface NetworkPolicy {
  kind: string;
  metadata?: { name?: string; namespace?: string };
  spec: { podSelector: Selector; policyTypes?: string[]; ingress?: Rule[]; egress?: Rule[] };
}

function matches(selector: Selector, labels: Record<string, string>): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (labels[key] !== value) return false;
  for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
    const has = key in labels;
    const ok =
      operator === 'In'
        ? has && values.includes(labels[key]!)
        : operator === 'NotIn'
          ? !has || !values.includes(labels[key]!)
          : operator === 'Exists'
            ? has
            : operator === 'DoesNotExist'
              ? !has
              : false;
    if (!ok) return false;
  }
  return true;
}

const namespaceLabels = (namespace: string) => ({ 'kubernetes.io/metadata.name': namespace });

function peerMatches(peer: Peer, policyNamespace: string, pod: PolicyPod): boolean {
  if (peer.ipBlock !== undefined) return false;
  const inNamespace =
    peer.namespaceSelector === undefined
      ? pod.namespace === policyNamespace
      : matches(peer.namespaceSelector, namespaceLabels(pod.namespace));
  return inNamespace && (peer.podSelector === undefined || matches(peer.podSelector, pod.labels));
}

function portMatches(ports: PolicyPort[] | undefined, destination: PolicyPod, port: number): boolean {
  if (ports === undefined || ports.length === 0) return true;
  return ports.some((p) => {
    if ((p.protocol ?? 'TCP') !== 'TCP') return false;
    if (p.port === undefined) return true;
    return typeof p.port === 'number' ? p.port === port : destination.ports?.[p.port] === port;
  });
}

function allowedBy(
  policies: readonly NetworkPolicy[],
  direction: 'Ingress' | 'Egress',
  self: PolicyPod,
  other: PolicyPod,
  destination: PolicyPod,
  port: number,
): boolean {
  const selecting = policies.filter(
    (p) =>
      p.kind === 'NetworkPolicy' &&
      (p.metadata?.namespace ?? 'default') === self.namespace &&
      matches(p.spec.podSelector, self.labels) &&
      (p.spec.policyTypes ?? (direction === 'Ingress' ? ['Ingress'] : [])).includes(direction),
  );
  if (selecting.length === 0) return true;
  return selecting.some((policy) =>
    ((direction === 'Ingress' ? policy.spec.ingress : policy.spec.egress) ?? []).some((rule) => {
      const peers = direction === 'Ingress' ? rule.from : rule.to;
      const peerOk =
        peers === undefined || peers.length === 0 || peers.some((peer) => peerMatches(peer, self.namespace, other));
      return peerOk && portMatches(rule.ports, destination, port);
    }),
  );
}

/** Whether the policies let `from` open a TCP connection to `port` of `to`. */
export function connectionAllowed(
  policies: readonly NetworkPolicy[],
  from: PolicyPod,
  to: PolicyPod,
  port: number,
): boolean {
  return allowedBy(policies, 'Egress', from, to, to, port) && allowedBy(policies, 'Ingress', to, from, to, port);
}
