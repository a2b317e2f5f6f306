import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { Mixin } from './build.js';
import { renderFiles } from './outputs.js';

/** The folders of the output directory this package owns: files in them that it did not write are leftovers. */
const OWNED_DIRS = ['grafana', 'grafana/provisioning', 'prometheus', 'kubernetes'];

/** Files under `outDir`'s owned folders that `expected` does not list (relative paths). */
export function leftoverFiles(outDir: string, expected: Record<string, string>): string[] {
  return OWNED_DIRS.flatMap((dir) => {
    const path = join(outDir, dir);
    if (!existsSync(path)) return [];
    return readdirSync(path, { withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => relative(outDir, join(path, entry.name)))
      .filter((file) => !(file in expected));
  });
}

/** Writes the files that changed and removes leftovers (with `checkOnly`, only reports them). */
export function syncFiles(outDir: string, mixin: Mixin, checkOnly: boolean): { changed: string[]; removed: string[] } {
  const files = renderFiles(mixin);
  const changed = Object.entries(files)
    .filter(([file, content]) => {
      const path = join(outDir, file);
      return !existsSync(path) || readFileSync(path, 'utf8') !== content;
    })
    .map(([file]) => file);
  const removed = leftoverFiles(outDir, files);
  if (!checkOnly) {
    for (const file of changed) {
      mkdirSync(dirname(join(outDir, file)), { recursive: true });
      writeFileSync(join(outDir, file), files[file] ?? '');
    }
    for (const file of removed) rmSync(join(outDir, file));
  }
  return { changed, removed };
}
