// The two registries the npm benchmark compares, each on a free 127.0.0.1 port with its own temp
// storage and no uplink: NORA (dist/nora.cjs) and Verdaccio (from devDependencies). Both log at
// warn level, so neither pays for an access log line per request.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export async function freePort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitFor(url, child, output) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited early:\n${output()}`);
    try { if ((await fetch(url)).ok) return; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not come up:\n${output()}`);
}

async function launch(name, command, args, env, readyPath, registryPath, dir, port) {
  let output = '';
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (d) => { output += d; });
  child.stderr.on('data', (d) => { output += d; });
  const origin = `http://127.0.0.1:${port}`;
  await waitFor(`${origin}${readyPath}`, child, () => output);
  return {
    name, origin, registry: `${origin}${registryPath}`, pid: child.pid,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export async function startNoraServer(root) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-nora-'));
  const port = await freePort();
  const env = { NORA_NPM_UPSTREAM: '', NORA_LOG_LEVEL: 'warn' };
  return launch('NORA', process.execPath, [path.join(root, 'dist', 'nora.cjs'), 'serve', '--host', '127.0.0.1', '--port', String(port), '--data-dir', dir], env, '/health', '/npm/', dir, port);
}

export async function startVerdaccio(root) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-verdaccio-'));
  const port = await freePort();
  const config = path.join(dir, 'config.yaml');
  await writeFile(config, [
    `storage: ${path.join(dir, 'storage')}`,
    'auth:', '  htpasswd:', `    file: ${path.join(dir, 'htpasswd')}`, '    max_users: -1',
    'uplinks: {}',
    'packages:', "  '**':", '    access: $all', '    publish: $all', '    unpublish: $all',
    'max_body_size: 200mb',
    'log: { type: stdout, format: json, level: warn }', '',
  ].join('\n'));
  const bin = path.join(root, 'node_modules', 'verdaccio', 'bin', 'verdaccio');
  return launch('Verdaccio', process.execPath, [bin, '--config', config, '--listen', `127.0.0.1:${port}`], {}, '/-/ping', '/', dir, port);
}
