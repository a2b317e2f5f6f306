/** Methods a cardinality flood mixes: standard ones and WebDAV/cache methods outside the semantic-convention set. */
export const FLOOD_METHODS: readonly string[] = ['GET', 'POST', 'DELETE', 'PROPFIND', 'MKCOL', 'PURGE', 'LOCK'];

export interface FloodResult {
  /** Requests answered, by status code (0: the request failed at the network level). */
  statuses: Map<number, number>;
}

/**
 * Sends `count` requests to distinct random paths under `baseUrl` (each with a unique segment and query string),
 * cycling through `methods`, with `concurrency` workers. A cardinality attack: every path is new, so a metric that
 * labelled raw paths or methods would grow one series per request.
 */
export async function floodRandomPaths(
  baseUrl: string,
  options: { count?: number; concurrency?: number; methods?: readonly string[] } = {},
): Promise<FloodResult> {
  const count = options.count ?? 10_000;
  const methods = options.methods ?? FLOOD_METHODS;
  const statuses = new Map<number, number>();
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const path = `/random/${i}-${Math.random().toString(36).slice(2)}?q=${i}`;
      const status = await fetch(`${baseUrl.replace(/\/$/, '')}${path}`, { method: methods[i % methods.length] }).then(
        async (r) => {
          await r.arrayBuffer();
          return r.status;
        },
        () => 0,
      );
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 16 }, worker));
  return { statuses };
}
