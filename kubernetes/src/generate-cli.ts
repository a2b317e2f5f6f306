#!/usr/bin/env node
/** `npm run k8s:generate` writes the generated Kubernetes files; `--check` fails when one is stale. */
import { syncGeneratedFiles } from '@otelkit/stack';
import { generatedFiles } from './generate.js';

syncGeneratedFiles(generatedFiles(), { check: process.argv.includes('--check'), command: 'npm run k8s:generate' });
