import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { canListen, describeTakenPorts, portHolders, takenPorts } from '../src/port-holders.js';

describe('port holders', () => {
  it('finds the process that listens on a port, with its command line', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      expect(await canListen(port)).toBe(false);
      expect(portHolders(port)).toEqual([{ pid: process.pid, command: expect.stringContaining('node') }]);
      const taken = await takenPorts({ prometheus: port });
      expect(taken).toEqual([{ name: 'prometheus', port, holders: [expect.objectContaining({ pid: process.pid })] }]);
      expect(describeTakenPorts(taken)).toMatch(
        new RegExp(
          `^the stack cannot start: a port it needs is taken\\n  port ${port} \\(prometheus\\) is taken by pid ${process.pid} \\(`,
        ),
      );
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(await canListen(port)).toBe(true);
    expect(portHolders(port)).toEqual([]);
  });

  it('says how to find a holder it cannot see', () => {
    expect(describeTakenPorts([{ name: 'postgres', port: 5432, holders: [] }])).toContain(
      "port 5432 (postgres) is taken by a process this user cannot see (`ss -ltnp 'sport = :5432'` as root shows it)",
    );
  });
});
