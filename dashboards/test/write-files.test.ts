import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildAll, syncFiles, withOverrides } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'otelkit-dashboards-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('syncFiles', () => {
  const mixin = buildAll(withOverrides({ service: 'checkout' }));

  it('writes every file, then reports nothing to do', () => {
    const first = syncFiles(dir, mixin, false);
    expect(first.changed).toContain('prometheus/checkout.alerts.yml');
    expect(first.changed).toContain('kubernetes/prometheus-rule.yaml');
    expect(syncFiles(dir, mixin, true)).toEqual({ changed: [], removed: [] });
  });

  it('reports a hand edit and a leftover with check, and repairs both without it', () => {
    writeFileSync(join(dir, 'grafana', 'service-overview.json'), '{}');
    writeFileSync(join(dir, 'prometheus', 'old.yml'), 'groups: []');
    writeFileSync(join(dir, 'notes.txt'), 'not ours');
    expect(syncFiles(dir, mixin, true)).toEqual({
      changed: ['grafana/service-overview.json'],
      removed: ['prometheus/old.yml'],
    });
    expect(existsSync(join(dir, 'prometheus', 'old.yml'))).toBe(true);
    syncFiles(dir, mixin, false);
    expect(syncFiles(dir, mixin, true)).toEqual({ changed: [], removed: [] });
    expect(existsSync(join(dir, 'prometheus', 'old.yml'))).toBe(false);
    expect(existsSync(join(dir, 'notes.txt'))).toBe(true);
  });
});
