import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * `name` and `version` of the package.json nearest to the entry script (the first one up the tree that has a name):
 * the service's default identity. A package.json without a name (a `{"type": "module"}` marker in a sub-folder) is
 * skipped; none at all, or no entry script (a REPL, `node -e`), gives neither.
 */
export function packageIdentity(entry: string | undefined): { name?: string; version?: string } {
  if (entry === undefined || entry === '') return {};
  let dir = dirname(resolve(entry));
  for (;;) {
    const found = readPackageJson(resolve(dir, 'package.json'));
    if (typeof found?.name === 'string' && found.name !== '') {
      return { name: found.name, version: typeof found.version === 'string' ? found.version : undefined };
    }
    const parent = dirname(dir);
    if (parent === dir) return {};
    dir = parent;
  }
}

function readPackageJson(path: string): { name?: unknown; version?: unknown } | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return typeof parsed === 'object' && parsed !== null ? parsed : undefined;
  } catch {
    return undefined; // missing or unreadable: keep looking up the tree
  }
}
