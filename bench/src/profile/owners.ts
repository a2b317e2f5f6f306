/** The parts of a V8 .cpuprofile (`node --cpu-prof`) this module reads. */
export interface CpuProfile {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }>;
  samples: number[];
}

/** The package a script URL belongs to: `pg`, `@opentelemetry/sdk-trace`, `node:` (Node's own), ... */
export function packageOf(url: string): string {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (match) return match[1]!;
  if (url.includes('/packages/node/')) return '@otelkit/node';
  if (url.includes('/demo/')) return 'demo (the application)';
  if (url.startsWith('node:')) return 'node:';
  return url === '' ? '' : 'other';
}

/**
 * Share of CPU samples per "owner": the nearest frame, from the sampled leaf up, that belongs to a package (not to
 * Node itself). Time in Node internals and native code (socket writes, hashing, JSON) is charged to the package
 * that called it, so each instrumentation's full cost, and the application's, show up under their own names.
 * `(idle)`, `(garbage collector)` and `(program)` keep their names.
 */
export function ownerShares(profile: CpuProfile): Array<{ owner: string; share: number }> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const counts = new Map<string, number>();
  for (const sample of profile.samples) {
    const leaf = byId.get(sample);
    if (leaf === undefined) continue;
    let owner = leaf.callFrame.functionName.startsWith('(') ? leaf.callFrame.functionName : 'node: (only)';
    for (let id: number | undefined = sample; id !== undefined; id = parent.get(id)) {
      const pkg = packageOf(byId.get(id)?.callFrame.url ?? '');
      if (pkg !== '' && pkg !== 'node:') {
        owner = pkg;
        break;
      }
    }
    counts.set(owner, (counts.get(owner) ?? 0) + 1);
  }
  const total = profile.samples.length || 1;
  return [...counts]
    .map(([owner, count]) => ({ owner, share: count / total }))
    .sort((a, b) => b.share - a.share || a.owner.localeCompare(b.owner));
}
