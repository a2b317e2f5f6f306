#!/usr/bin/env node
/** `npm run k8s:generate` writes the generated Kubernetes files; `--check` fails when one is stale. */
import { parseCommandLine, syncGeneratedFiles } from '@otelkit/stack';
import { generatedFiles } from './generate.js';

const { values } = parseCommandLine({
  usage: `Usage: npm run k8s:generate [-- --check]

Writes the generated Kubernetes files (collector manifests, Helm values).
  --check     write nothing; exit 1 when a generated file is stale
  -h, --help  this text`,
  options: { check: { type: 'boolean', default: false } },
});
syncGeneratedFiles(generatedFiles(), { check: values.check === true, command: 'npm run k8s:generate' });
