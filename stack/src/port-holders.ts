import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { createServer } from 'node:net';

/** A process listening on a port, as far as /proc tells: its pid and command line. */
export interface PortHolder {
  pid: number;
  command: string;
}

/** A port the stack needs that is taken, and who holds it (empty when /proc does not say). */
export interface TakenPort {
  /** The component's port name (`prometheus`, `collectorOtlpGrpc`). */
  name: string;
  port: number;
  holders: PortHolder[];
}

/** Whether a server can listen on host:port right now (bound, then released at once). */
export function canListen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * The ports among `ports` that cannot be listened on at 127.0.0.1 (where every component of the native stack
 * binds), each with the processes that hold it.
 */
export async function takenPorts(ports: Readonly<Record<string, number>>): Promise<TakenPort[]> {
  const taken: TakenPort[] = [];
  for (const [name, port] of Object.entries(ports)) {
    if (!(await canListen(port))) taken.push({ name, port, holders: portHolders(port) });
  }
  return taken;
}

/**
 * Processes with a listening TCP socket on `port` (IPv4 or IPv6, any address): the socket inodes of /proc/net/tcp
 * and tcp6 in state LISTEN, matched against the `socket:[inode]` links of /proc/<pid>/fd. Processes of other users
 * are invisible without privileges: then the list is empty.
 */
export function portHolders(port: number): PortHolder[] {
  const inodes = listeningInodes(port);
  if (inodes.size === 0) return [];
  const holders: PortHolder[] = [];
  for (const entry of safeReaddir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fds = safeReaddir(`/proc/${entry}/fd`);
    const holds = fds.some((fd) => {
      const target = safeReadlink(`/proc/${entry}/fd/${fd}`);
      return target !== undefined && inodes.has(target.replace(/^socket:\[(\d+)\]$/, '$1'));
    });
    if (holds) holders.push({ pid: Number(entry), command: commandLine(Number(entry)) });
  }
  return holders;
}

/** The lines of the refusal: each taken port, its component and holder, and what to do. */
export function describeTakenPorts(taken: readonly TakenPort[]): string {
  const lines = taken.map(({ name, port, holders }) => {
    const who =
      holders.length === 0
        ? `by a process this user cannot see (\`ss -ltnp 'sport = :${port}'\` as root shows it)`
        : holders.map((h) => `by pid ${h.pid} (${h.command})`).join(', ');
    return `  port ${port} (${name}) is taken ${who}`;
  });
  return [
    `the stack cannot start: ${taken.length === 1 ? 'a port it needs is' : `${taken.length} ports it needs are`} taken`,
    ...lines,
    'Stop what holds them (an earlier `npm run stack` stops with Ctrl-C, or `kill <pid>`) and start again.',
  ].join('\n');
}

function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
      const fields = line.trim().split(/\s+/);
      const [, local, , state] = fields;
      if (state === '0A' && local?.endsWith(`:${hexPort}`) && fields[9] !== undefined) inodes.add(fields[9]);
    }
  }
  return inodes;
}

function commandLine(pid: number): string {
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
    return args.length > 160 ? `${args.slice(0, 157)}...` : args || '?';
  } catch {
    return '?';
  }
}

function safeReaddir(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}

function safeReadlink(path: string): string | undefined {
  try {
    return readlinkSync(path);
  } catch {
    return undefined;
  }
}
