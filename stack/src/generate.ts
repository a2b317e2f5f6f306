import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeAlertmanagerConfig } from './alertmanager-config.js';
import { composeEnv } from './compose-env.js';
import { grafanaDatasources } from './grafana-datasources.js';
import { CONFIG, REPO_ROOT } from './paths.js';
import { composeTargets, targetFiles } from './prometheus-targets.js';

/** `KEY=value` lines of tools/versions.env. */
export function readToolVersions(): Record<string, string> {
  const text = readFileSync(join(REPO_ROOT, 'tools', 'versions.env'), 'utf8');
  return Object.fromEntries(
    text
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#') && line.includes('='))
      .map((line) => {
        const eq = line.indexOf('=');
        return [line.slice(0, eq), line.slice(eq + 1).replace(/^["']|["']$/g, '')];
      }),
  );
}

/** Every generated file of the stack, by absolute path. */
export function generatedFiles(): Record<string, string> {
  const files: Record<string, string> = {
    [join(REPO_ROOT, '.env')]: composeEnv(readToolVersions()),
    [CONFIG.grafanaDatasources]: grafanaDatasources(),
    [CONFIG.alertmanager]: composeAlertmanagerConfig(),
  };
  for (const [relative, content] of Object.entries(targetFiles(composeTargets()))) {
    files[join(CONFIG.composeTargets, relative.replace(/^targets\//, ''))] = content;
  }
  return files;
}
