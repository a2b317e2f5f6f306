import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { entryPointIsEsm, esmHookKind, wantsEsmHook } from '../../src/esm-hook.js';

const root = mkdtempSync(join(tmpdir(), 'otelkit-esm-hook-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A project folder with the given package.json (or none) and an empty dist/ for entry points. */
function project(name: string, packageJson: string | undefined): string {
  const dir = join(root, name);
  mkdirSync(join(dir, 'dist'), { recursive: true });
  if (packageJson !== undefined) writeFileSync(join(dir, 'package.json'), packageJson);
  return dir;
}

describe('entryPointIsEsm', () => {
  it("follows Node's rule: the extension, else the nearest package.json's type", () => {
    const esm = project('esm', JSON.stringify({ type: 'module' }));
    const cjs = project('cjs', JSON.stringify({ type: 'commonjs' }));
    const untyped = project('untyped', JSON.stringify({ name: 'x' }));
    expect(entryPointIsEsm(join(esm, 'dist/main.js'))).toBe(true);
    expect(entryPointIsEsm(join(esm, 'dist/main.cjs'))).toBe(false);
    expect(entryPointIsEsm(join(cjs, 'dist/main.js'))).toBe(false);
    expect(entryPointIsEsm(join(cjs, 'dist/main.mjs'))).toBe(true);
    expect(entryPointIsEsm(join(untyped, 'dist/main.js'))).toBe(false);
    expect(entryPointIsEsm(join(untyped, 'dist/main.ts'))).toBe(false);
    expect(entryPointIsEsm('dist/main.js', esm)).toBe(true); // relative to the working directory
  });

  it('registers when in doubt: no script, or an unreadable package.json', () => {
    expect(entryPointIsEsm(undefined)).toBe(true);
    const broken = project('broken', '{ not json');
    expect(entryPointIsEsm(join(broken, 'dist/main.js'))).toBe(true);
  });
});

describe('wantsEsmHook', () => {
  it('auto decides by the entry point; true and false override it', () => {
    const cjs = project('cjs-mode', JSON.stringify({ type: 'commonjs' }));
    const entry = join(cjs, 'dist/main.js');
    expect(wantsEsmHook('auto', entry)).toBe(false);
    expect(wantsEsmHook('auto', join(cjs, 'dist/main.mjs'))).toBe(true);
    expect(wantsEsmHook(true, entry)).toBe(true);
    expect(wantsEsmHook(false, join(cjs, 'dist/main.mjs'))).toBe(false);
  });
});

describe('esmHookKind', () => {
  it("runs the hook in-thread on this repository's Node (24.21), where import-in-the-middle accepts it", () => {
    // The worker-thread fallback runs on Node 22.15 in pack.int.test.ts; both paths instrument ESM apps there.
    expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(24);
    expect(esmHookKind()).toBe('in-thread');
  });
});
