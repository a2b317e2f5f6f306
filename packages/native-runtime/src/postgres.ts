import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { track } from './children.js';
import { freePort } from './ports.js';
import { waitUntil } from './wait.js';

/** The directory holding initdb/postgres of the newest installed Debian PostgreSQL. */
export function postgresBinDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const dir = versions.map((v) => join(root, v, 'bin')).find((d) => existsSync(join(d, 'postgres')));
  if (dir === undefined) {
    throw new Error(
      'PostgreSQL server binaries not found under /usr/lib/postgresql: run `bash tools/install-system.sh`',
    );
  }
  return dir;
}

type User = { uid: number; gid: number } | undefined;

/** uid/gid of the `postgres` user when we are root (initdb and postgres refuse to run as root). */
function postgresUser(): User {
  if (process.getuid?.() !== 0) return undefined;
  return {
    uid: Number(execFileSync('id', ['-u', 'postgres']).toString().trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres']).toString().trim()),
  };
}

/**
 * A private PostgreSQL cluster (Debian's binaries) on 127.0.0.1; never the system cluster. By default in a temp
 * directory on a free port, removed by `destroy()`; with `dir` and `port` a persistent one (the native stack's).
 * `stop()` and `start()` keep the data, to simulate outages.
 */
export class PostgresInstance {
  private process: ChildProcess | undefined;

  private constructor(
    readonly dir: string,
    readonly port: number,
    private readonly bin: string,
    private readonly user: User,
  ) {}

  static async create(options: { dir?: string; port?: number } = {}): Promise<PostgresInstance> {
    const bin = postgresBinDir();
    const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'otelkit-pg-'));
    mkdirSync(dir, { recursive: true });
    const user = postgresUser();
    if (user) chownSync(dir, user.uid, user.gid);
    if (!existsSync(join(dir, 'data', 'PG_VERSION'))) {
      try {
        execFileSync(
          join(bin, 'initdb'),
          ['-D', join(dir, 'data'), '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--locale=C'],
          { stdio: 'pipe', ...user },
        );
      } catch (error) {
        const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
        throw new Error(`initdb failed in ${dir}: ${stderr || String(error)}`);
      }
    }
    const instance = new PostgresInstance(dir, options.port ?? (await freePort()), bin, user);
    await instance.start();
    return instance;
  }

  /** Connection URL as the superuser `postgres` (trust authentication on loopback). */
  url(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  get running(): boolean {
    return this.process !== undefined;
  }

  /** Runs SQL as the superuser with psql (for set-up: roles, databases). */
  psql(sql: string, database = 'postgres'): string {
    return execFileSync(
      join(this.bin, 'psql'),
      ['-h', '127.0.0.1', '-p', String(this.port), '-U', 'postgres', '-d', database, '-v', 'ON_ERROR_STOP=1', '-qAt'],
      { input: sql, encoding: 'utf8' },
    );
  }

  /**
   * Creates a login role and a database it owns, unless they exist (idempotent: persistent clusters are reused).
   * Returns the database's connection URL as that role (trust authentication on loopback).
   */
  ensureDatabase(user: string, database: string): string {
    this.psql(
      `DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${user}') THEN CREATE ROLE ${user} LOGIN; END IF; END $$;`,
    );
    if (this.psql(`SELECT 1 FROM pg_database WHERE datname = '${database}'`).trim() !== '1') {
      this.psql(`CREATE DATABASE ${database} OWNER ${user}`);
    }
    return `postgres://${user}@127.0.0.1:${this.port}/${database}`;
  }

  async start(): Promise<void> {
    if (this.process) return;
    const args = ['-D', join(this.dir, 'data'), '-p', String(this.port), '-k', this.dir];
    for (const setting of [
      'listen_addresses=127.0.0.1',
      'fsync=off',
      'synchronous_commit=off',
      'full_page_writes=off',
      'max_connections=200',
    ]) {
      args.push('-c', setting);
    }
    // Spawned directly as the postgres user (not through runuser), so signals reach postgres itself.
    const child = track(spawn(join(this.bin, 'postgres'), args, { stdio: ['ignore', 'ignore', 'pipe'], ...this.user }));
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (c: string) => {
      stderr = (stderr + c).slice(-4000);
    });
    this.process = child;
    await waitUntil(
      () => {
        if (child.exitCode !== null) throw new Error(`postgres exited: ${stderr}`);
        try {
          execFileSync(join(this.bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(this.port), '-q']);
          return true;
        } catch {
          return false;
        }
      },
      { timeoutMs: 30_000, what: 'postgres to accept connections' },
    );
  }

  /** Fast shutdown (SIGINT): active connections are terminated, as in a real outage. */
  async stop(): Promise<void> {
    const child = this.process;
    if (!child) return;
    this.process = undefined;
    if (child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGINT');
    await exited;
  }

  /** Stops the cluster and deletes its directory. */
  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
