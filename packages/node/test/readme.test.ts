import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { K8S_ENV, LEGACY_K8S_ENV } from '../src/names.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const readme = readFileSync(join(root, 'README.md'), 'utf8');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('packages/node/README.md', () => {
  it('documents every environment variable the code reads', () => {
    const read = new Set<string>([...Object.keys(K8S_ENV), ...Object.keys(LEGACY_K8S_ENV)]);
    for (const file of sources(join(root, 'src'))) {
      for (const match of readFileSync(file, 'utf8').matchAll(/['"`]((?:OTEL|OTELKIT)_[A-Z_]+)['"`]/g)) {
        if (match[1]) read.add(match[1]);
      }
    }
    expect(read.size).toBeGreaterThan(30);
    const undocumented = [...read].filter((name) => !readme.includes(`\`${name}\``));
    expect(undocumented).toEqual([]);
  });
});

describe('packages/node/README.md, API section', () => {
  const api = readme.slice(readme.indexOf('## API'), readme.indexOf('\n## ', readme.indexOf('## API') + 1));
  const reports = readdirSync(join(root, 'api')).filter((name) => name.endsWith('.api.md'));

  it('documents every export of every entry point (api/*.api.md)', () => {
    expect(reports.sort()).toEqual([
      'node-logger.api.md',
      'node-metrics.api.md',
      'node-names.api.md',
      'node-register.api.md',
      'node-shutdown.api.md',
      'node-trace.api.md',
      'node.api.md',
    ]);
    const exported = new Set<string>();
    for (const report of reports) {
      const text = readFileSync(join(root, 'api', report), 'utf8');
      for (const match of text.matchAll(/^export (?:declare )?(?:const|function|class|interface|type) (\w+)/gm)) {
        if (match[1]) exported.add(match[1]);
      }
    }
    expect(exported.size).toBeGreaterThan(20);
    expect([...exported].filter((name) => !new RegExp(`\`${name}[(\`]`).test(api))).toEqual([]);
  });

  it('names an entry point for every subpath of package.json exports', () => {
    const { exports } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      exports: Record<string, unknown>;
    };
    const subpaths = Object.keys(exports).filter((path) => path !== '.' && path !== './package.json');
    for (const path of subpaths) expect(api).toContain(`\`@otelkit/node/${path.slice(2)}\``);
  });
});
