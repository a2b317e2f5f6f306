// The demo chart's Postgres backup (demo/chart/files/pg-backup.sh, run by its CronJob) and restore
// (files/pg-restore.sh), run here unchanged against a real Postgres with the demo's schema and sample data: the
// restore of the newest dump into a fresh database has the same rows, retention keeps the newest `keep` dumps, and
// bad input fails clearly without losing anything.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { STACK } from '@otelkit/stack-topology';
import { postgresBinDir, PostgresInstance } from '@otelkit/native-runtime';
import { defaultPorts, runDemoCommand } from '@otelkit/stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_NAMESPACE, K8S_FILES, type K8sObject } from '../src/index.js';
import { renderDemoChart, scratchDir } from './helpers.js';

const SCRIPTS = join(K8S_FILES.demoChart, 'files');
const BACKUP = join(SCRIPTS, 'pg-backup.sh');
const RESTORE = join(SCRIPTS, 'pg-restore.sh');
const DB = STACK.postgres.database;

let postgres: PostgresInstance;
let scratch: ReturnType<typeof scratchDir>;

/** Runs one of the scripts with sh, as the CronJob does, with the libpq variables of the given database. */
function runScript(script: string, env: Record<string, string>, args: string[] = []) {
  const result = spawnSync('sh', [script, ...args], {
    encoding: 'utf8',
    env: {
      PATH: `${postgresBinDir()}:${process.env.PATH ?? ''}`,
      PGHOST: '127.0.0.1',
      PGPORT: String(postgres.port),
      PGUSER: STACK.postgres.user,
      PGDATABASE: DB,
      ...env,
    },
  });
  return { status: result.status, stdout: result.stdout.trim(), stderr: result.stderr };
}

const dumps = (dir: string) =>
  readdirSync(dir)
    .filter((name) => name.endsWith('.dump'))
    .sort();

/** Every table of the public schema with its row count and a digest of its rows, in a stable order. */
function tableDigests(database: string): string[] {
  const tables = postgres
    .psql(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`, database)
    .split('\n')
    .filter(Boolean);
  return tables.map((table) =>
    postgres
      .psql(
        `SELECT '${table}' || ' ' || count(*) || ' ' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '-') FROM ${table} t`,
        database,
      )
      .trim(),
  );
}

beforeAll(async () => {
  scratch = scratchDir('pg-backup');
  postgres = await PostgresInstance.create();
  const url = postgres.ensureDatabase(STACK.postgres.user, DB);
  runDemoCommand(defaultPorts(), url, ['migrate', '--seed']);
}, 120_000);
afterAll(async () => {
  await postgres?.destroy();
  scratch?.cleanup();
});

describe('demo/chart/files/pg-backup.sh and pg-restore.sh on a real Postgres', () => {
  it('passes shellcheck (POSIX sh: the Postgres image has no bash)', () => {
    const run = spawnSync('shellcheck', ['--shell=sh', BACKUP, RESTORE], { encoding: 'utf8' });
    expect(run.error, 'shellcheck: run tools/install-system.sh').toBeUndefined();
    expect(run.status, run.stdout).toBe(0);
  });

  it('backs up on each run, keeps the newest `keep` dumps, and a restore into a fresh database has the same rows', async () => {
    const dir = join(scratch.dir, 'backups');
    spawnSync('mkdir', ['-p', dir]);
    const made: string[] = [];
    for (let run = 0; run < 3; run++) {
      // a change between runs, so each dump differs and the restore shows which one it was
      postgres.psql(`UPDATE items SET stock = stock + 1 WHERE id = 1`, DB);
      const backup = runScript(BACKUP, { BACKUP_DIR: dir, BACKUP_KEEP: '2' });
      expect(backup.status, backup.stderr).toBe(0);
      made.push(backup.stdout);
      // the dumps are named by the second (UTC); the next run must not reuse the name
      await new Promise((resolve) => setTimeout(resolve, 1_100));
    }
    expect(new Set(made).size).toBe(3);
    // retention: the two newest remain, no partial file
    expect(dumps(dir)).toEqual(made.slice(1).map((path) => path.slice(dir.length + 1)));
    expect(readdirSync(dir).filter((name) => name.startsWith('.partial'))).toEqual([]);

    const expected = tableDigests(DB);
    expect(expected.length).toBeGreaterThanOrEqual(3);
    expect(expected.find((line) => line.startsWith('items '))).not.toMatch(/^items 0 /);
    postgres.psql(`CREATE DATABASE restored OWNER ${STACK.postgres.user}`);
    const restore = runScript(RESTORE, { PGDATABASE: 'restored' }, [made.at(-1)!]);
    expect(restore.status, restore.stderr).toBe(0);
    expect(tableDigests('restored')).toEqual(expected);
    // the restored database works for the demo: its migrations see every one applied
    runDemoCommand(defaultPorts(), `postgres://${STACK.postgres.user}@127.0.0.1:${postgres.port}/restored`, [
      'migrate',
    ]);
    expect(tableDigests('restored')).toEqual(expected);

    // a restore over a database that has tables is refused and changes nothing
    const again = runScript(RESTORE, { PGDATABASE: 'restored' }, [made.at(-1)!]);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/already has \d+ tables; restore into a fresh database/);
    expect(tableDigests('restored')).toEqual(expected);
  });

  it('fails clearly on bad input, leaving no partial dump', () => {
    const dir = join(scratch.dir, 'bad');
    spawnSync('mkdir', ['-p', dir]);
    const keep = runScript(BACKUP, { BACKUP_DIR: dir, BACKUP_KEEP: '0' });
    expect(keep.status).toBe(2);
    expect(keep.stderr).toMatch(/BACKUP_KEEP must be a positive integer/);
    expect(runScript(BACKUP, { BACKUP_KEEP: '3' }).stderr).toMatch(/BACKUP_DIR/);

    const unreachable = runScript(BACKUP, { BACKUP_DIR: dir, BACKUP_KEEP: '3', PGPORT: '1' });
    expect(unreachable.status).not.toBe(0);
    expect(readdirSync(dir)).toEqual([]);

    const notADump = join(dir, 'not-a.dump');
    writeFileSync(notADump, 'not a dump');
    postgres.psql(`CREATE DATABASE restore_bad OWNER ${STACK.postgres.user}`);
    const restore = runScript(RESTORE, { PGDATABASE: 'restore_bad' }, [notADump]);
    expect(restore.status).not.toBe(0);
    expect(tableDigests('restore_bad')).toEqual([]);
    expect(runScript(RESTORE, { PGDATABASE: 'restore_bad' }, []).status).toBe(2);
    expect(existsSync(notADump)).toBe(true);
  });
});

describe('the chart runs the same scripts', () => {
  type Obj = K8sObject & { spec: any; data?: Record<string, string> };
  let objects: Obj[];
  beforeAll(() => {
    objects = renderDemoChart().objects as Obj[];
  });

  it('ships files/ unchanged in the ConfigMap the CronJob mounts, and runs pg-backup.sh with the chart values', () => {
    const cronJob = objects.find((o) => o.kind === 'CronJob')!;
    expect(cronJob.metadata?.namespace).toBe(DEMO_NAMESPACE);
    const pod = cronJob.spec.jobTemplate.spec.template.spec;
    const scripts = pod.volumes.find((v: { name: string }) => v.name === 'scripts').configMap.name;
    const configMap = objects.find((o) => o.kind === 'ConfigMap' && o.metadata?.name === scripts)!;
    expect(configMap.data?.['pg-backup.sh']).toBe(readFileSync(BACKUP, 'utf8'));
    expect(configMap.data?.['pg-restore.sh']).toBe(readFileSync(RESTORE, 'utf8'));
    const [container] = pod.containers;
    expect(container.command).toEqual(['sh', '/scripts/pg-backup.sh']);
    const env = Object.fromEntries(
      container.env.map((e: { name: string; value?: string; valueFrom?: unknown }) => [e.name, e.value ?? e.valueFrom]),
    );
    expect(env).toMatchObject({ PGDATABASE: DB, BACKUP_DIR: '/backups', BACKUP_KEEP: '7' });
    const backups = pod.volumes.find((v: { name: string }) => v.name === 'backups').persistentVolumeClaim.claimName;
    expect(objects.some((o) => o.kind === 'PersistentVolumeClaim' && o.metadata?.name === backups)).toBe(true);
    expect(
      container.volumeMounts.find((m: { name: string }) => m.name === 'backups').mountPath,
      'BACKUP_DIR is the volume',
    ).toBe('/backups');
    expect(cronJob.spec.concurrencyPolicy).toBe('Forbid');
  });

  it('renders no backup objects with backup.enabled=false', () => {
    const off = renderDemoChart(['backup.enabled=false']).objects;
    expect(off.filter((o) => o.metadata?.name?.includes('backup'))).toEqual([]);
  });
});
