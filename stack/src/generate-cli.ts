#!/usr/bin/env node
/** `npm run stack:generate` writes the compose .env and Prometheus targets; `--check` fails when they are stale. */
import { generatedFiles } from './generate.js';
import { syncGeneratedFiles } from './sync-generated.js';

syncGeneratedFiles(generatedFiles(), { check: process.argv.includes('--check'), command: 'npm run stack:generate' });
