// Is the configured address free to listen on? Binds it for a moment and lets go.
import net from 'node:net';
import type { DoctorCheck } from './check.js';

export function probePort(host: string, port: number): Promise<DoctorCheck> {
  if (port === 0) return Promise.resolve({ name: 'port', status: 'skip', detail: 'server.port = 0 picks a free port at start' });
  const where = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      const why = error.code === 'EADDRINUSE' ? 'already in use (is NORA or another service running there?)'
        : error.code === 'EACCES' ? 'needs privileges to bind (ports below 1024)'
        : error.code === 'EADDRNOTAVAIL' ? 'is not an address of this machine'
        : `cannot be bound (${error.code ?? error.message})`;
      resolve({ name: 'port', status: 'fail', detail: `${where} ${why}` });
    });
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve({ name: 'port', status: 'ok', detail: `${where} is free` })));
  });
}
