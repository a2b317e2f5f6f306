import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { REPO_ROOT } from '@otelkit/native-runtime';

/**
 * Writes generated files whose content changed, or with `check` only reports them and exits 1: the body of every
 * `npm run ...:generate` command (`command` names it in the error).
 */
export function syncGeneratedFiles(files: Record<string, string>, options: { check: boolean; command: string }): void {
  const stale: string[] = [];
  for (const [path, content] of Object.entries(files)) {
    const current = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
    if (current === content) continue;
    if (options.check) stale.push(relative(REPO_ROOT, path));
    else {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, content);
      process.stdout.write(`wrote ${relative(REPO_ROOT, path)}\n`);
    }
  }
  if (stale.length > 0) {
    process.stderr.write(`stale generated files (run ${options.command}): ${stale.join(', ')}\n`);
    process.exit(1);
  }
}
