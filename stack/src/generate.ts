import { readToolVersions, REPO_ROOT } from '@otelkit/native-runtime';
import { join } from 'node:path';
import { composeAlertmanagerConfig } from './alertmanager-config.js';
import { composeEnv } from './compose-env.js';
import { gatewayConfigYaml } from './gateway-config.js';
import { grafanaDatasources } from './grafana-datasources.js';
import { CONFIG } from './paths.js';
import { composeTargets, targetFiles } from './prometheus-targets.js';

/** Every generated file of the stack, by absolute path. */
export function generatedFiles(): Record<string, string> {
  const files: Record<string, string> = {
    [join(REPO_ROOT, '.env')]: composeEnv(readToolVersions()),
    [CONFIG.grafanaDatasources]: grafanaDatasources(),
    [CONFIG.alertmanager]: composeAlertmanagerConfig(),
    [CONFIG.collectorGateway]: gatewayConfigYaml(),
  };
  for (const [relative, content] of Object.entries(targetFiles(composeTargets()))) {
    files[join(CONFIG.composeTargets, relative.replace(/^targets\//, ''))] = content;
  }
  return files;
}
