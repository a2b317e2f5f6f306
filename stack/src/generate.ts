import { join } from 'node:path';
import { toolVersions } from '@otelkit/testkit';
import { composeEnv } from './compose-env.js';
import { grafanaDatasources } from './grafana-datasources.js';
import { CONFIG, REPO_ROOT } from './paths.js';
import { composeTargets, targetFiles } from './prometheus-targets.js';

/** `KEY=value` lines of tools/versions.env (read by @otelkit/testkit, which starts the pinned tools). */
export const readToolVersions = toolVersions;

/** Every generated file of the stack, by absolute path. */
export function generatedFiles(): Record<string, string> {
  const files: Record<string, string> = {
    [join(REPO_ROOT, '.env')]: composeEnv(readToolVersions()),
    [CONFIG.grafanaDatasources]: grafanaDatasources(),
  };
  for (const [relative, content] of Object.entries(targetFiles(composeTargets()))) {
    files[join(CONFIG.composeTargets, relative.replace(/^targets\//, ''))] = content;
  }
  return files;
}
