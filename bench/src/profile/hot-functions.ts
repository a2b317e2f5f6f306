import { type CpuProfile, packageOf } from './owners.js';

/** Where a function lives, for a reader: the package (or Node's `node:` module) and the line. */
function locationOf(url: string, lineNumber: number): string {
  if (url === '') return '';
  const pkg = packageOf(url);
  const file = url.slice(url.lastIndexOf('/') + 1);
  return `${pkg === 'node:' || pkg === 'other' ? url : `${pkg} ${file}`}:${lineNumber + 1}`;
}

/**
 * The functions with the most CPU samples of their own (self time), as shares of the busy samples: `(idle)` is
 * left out, so the shares say where the work went, not how long the process waited.
 */
export function hotFunctions(profile: CpuProfile, top: number): Array<{ fn: string; share: number }> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const counts = new Map<string, number>();
  let busy = 0;
  for (const sample of profile.samples) {
    const frame = byId.get(sample)?.callFrame;
    if (frame === undefined || frame.functionName === '(idle)') continue;
    busy++;
    const where = locationOf(frame.url, frame.lineNumber);
    const fn = `${frame.functionName || '(anonymous)'}${where === '' ? '' : ` ${where}`}`;
    counts.set(fn, (counts.get(fn) ?? 0) + 1);
  }
  return [...counts]
    .map(([fn, count]) => ({ fn, share: count / (busy || 1) }))
    .sort((a, b) => b.share - a.share || a.fn.localeCompare(b.fn))
    .slice(0, top);
}
