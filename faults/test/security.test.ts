// Containers run as non-root: every Dockerfile's final stage sets a non-root USER, and every docker-compose service
// either sets a non-root `user:`, is built from one of those Dockerfiles, or is listed below with the reason.
// (Kubernetes manifests and Helm values have their own securityContext checks.)
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '@otelkit/native-runtime';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/** Compose services that may start as root, and why. */
const ROOT_ALLOWED: Record<string, string> = {
  postgres:
    'the official image starts as root only to chown its data directory, then runs postgres as the postgres user (cap_drop ALL, 5 capabilities added back for that step)',
};

const isRoot = (user: string) => /^(0|root)(:|$)/.test(user.trim());

/** The USER in effect at the end of a Dockerfile (its final stage), or undefined when it never sets one. */
function finalUser(dockerfile: string): string | undefined {
  const lines = dockerfile.split('\n').map((l) => l.trim());
  const lastFrom = lines.findLastIndex((l) => /^FROM\s/i.test(l));
  return lines
    .slice(lastFrom)
    .filter((l) => /^USER\s/i.test(l))
    .at(-1)
    ?.replace(/^USER\s+/i, '');
}

const tracked = (pattern: string) =>
  execFileSync('git', ['ls-files', pattern], { cwd: REPO_ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);

describe('containers run as non-root', () => {
  const dockerfiles = tracked('*Dockerfile*');

  it('finds the Dockerfiles, and tells a root one from a non-root one', () => {
    expect(dockerfiles).toEqual(expect.arrayContaining(['demo/Dockerfile', 'collector/Dockerfile']));
    expect(finalUser('FROM a AS build\nUSER 1000\nFROM b\nRUN x')).toBeUndefined();
    expect(finalUser('FROM a\nUSER 10001:10001\n')).toBe('10001:10001');
    expect(isRoot('0:0') || isRoot('root')).toBe(true);
  });

  it.each(tracked('*Dockerfile*'))('%s: the final stage runs as a non-root USER', (file) => {
    const user = finalUser(readFileSync(join(REPO_ROOT, file), 'utf8'));
    expect(user, `${file} sets no USER in its final stage`).toBeDefined();
    expect(isRoot(user ?? ''), `${file}: USER ${user}`).toBe(false);
  });

  it('docker-compose.yml: every service runs as a non-root user', () => {
    const compose = parse(readFileSync(join(REPO_ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
      services: Record<string, { user?: string; build?: { dockerfile?: string } }>;
    };
    const offenders = Object.entries(compose.services).flatMap(([name, service]) => {
      if (ROOT_ALLOWED[name]) return [];
      if (service.user !== undefined) return isRoot(String(service.user)) ? [`${name}: user ${service.user}`] : [];
      const dockerfile = service.build?.dockerfile;
      if (dockerfile !== undefined) {
        const user = finalUser(readFileSync(join(REPO_ROOT, dockerfile), 'utf8'));
        return user === undefined || isRoot(user) ? [`${name}: ${dockerfile} USER ${user}`] : [];
      }
      // an image we neither build nor override: it must say its user here
      const image = (service as { image?: string }).image ?? '';
      if (image.startsWith('otelkit/')) return []; // built by another service of this file (same Dockerfile)
      return [`${name}: no user set for ${image}`];
    });
    expect(offenders).toEqual([]);
  });
});
