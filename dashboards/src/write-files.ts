import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { Mixin } from './build.js';
import { renderFiles } from './outputs.js';

/** The folders of the output directory this package owns: files in them that it did not write are leftovers. */
const OWNED_DIRS = ['grafana', 'grafana/provisioning', 'prometheus', 'kubernetes'];

/** What a sync changed, or with `check` would change: paths relative to its root. */
export interface SyncResult {
  /** Files written (or stale, with `check`): missing, or with other content than generated. */
  changed: string[];
  /** Leftovers removed (or reported, with `check`): files in an owned folder that were not generated. */
  removed: string[];
}

/** Files directly in `root`'s `ownedDirs` that `expected` does not list (paths relative to `root`). */
export function leftoverFiles(root: string, expected: Record<string, string>, ownedDirs = OWNED_DIRS): string[] {
  return ownedDirs.flatMap((dir) => {
    const path = join(root, dir);
    if (!existsSync(path)) return [];
    return readdirSync(path, { withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => relative(root, join(path, entry.name)))
      .filter((file) => !(file in expected));
  });
}

/**
 * The one "write if changed, report stale" of the repository (the dashboards CLI and `npm run generate` use it):
 * `files` maps paths relative to `root` to their content; files whose content differs are written and leftovers in
 * `ownedDirs` removed, or, with `check`, only reported.
 */
export function syncTree(
  root: string,
  files: Record<string, string>,
  options: { check: boolean; ownedDirs?: readonly string[] },
): SyncResult {
  const changed = Object.entries(files)
    .filter(([file, content]) => {
      const path = join(root, file);
      return !existsSync(path) || readFileSync(path, 'utf8') !== content;
    })
    .map(([file]) => file);
  const removed = leftoverFiles(root, files, [...(options.ownedDirs ?? [])]);
  if (!options.check) {
    for (const file of changed) {
      mkdirSync(dirname(join(root, file)), { recursive: true });
      writeFileSync(join(root, file), files[file] ?? '');
    }
    for (const file of removed) rmSync(join(root, file));
  }
  return { changed, removed };
}

/** Writes a mixin's files that changed and removes leftovers (with `checkOnly`, only reports them). */
export function syncFiles(outDir: string, mixin: Mixin, checkOnly: boolean): SyncResult {
  return syncTree(outDir, renderFiles(mixin), { check: checkOnly, ownedDirs: OWNED_DIRS });
}

/** The owned folders of an output directory, for a caller that syncs it together with other files. */
export const MIXIN_OUTPUT_DIRS: readonly string[] = OWNED_DIRS;
