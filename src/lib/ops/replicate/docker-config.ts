// Registry credentials a user already has: the auths of Docker's config.json ($DOCKER_CONFIG or
// ~/.docker/config.json, written by `docker login`) and of containers' auth.json
// ($REGISTRY_AUTH_FILE or $XDG_RUNTIME_DIR/containers/auth.json, written by `skopeo login` and
// podman). Credential helpers (credsStore/credHelpers) are programs NORA does not run.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface UserPass { username: string; password: string }

function authFiles(env: NodeJS.ProcessEnv): string[] {
  const files: string[] = [];
  if (env.REGISTRY_AUTH_FILE) files.push(env.REGISTRY_AUTH_FILE);
  if (env.XDG_RUNTIME_DIR) files.push(path.join(env.XDG_RUNTIME_DIR, 'containers', 'auth.json'));
  files.push(path.join(env.DOCKER_CONFIG ?? path.join(env.HOME ?? os.homedir(), '.docker'), 'config.json'));
  return files;
}

/** The keys a file may file `host` under: "host", "https://host", "https://host/v1/" (Docker Hub's). */
function keysFor(host: string): string[] {
  const hub = host === 'registry-1.docker.io' ? ['docker.io', 'index.docker.io', 'https://index.docker.io/v1/'] : [];
  return [host, `https://${host}`, `http://${host}`, `https://${host}/v1/`, ...hub];
}

/** The first stored username and password for `host`, or undefined. A file that cannot be read or parsed is skipped. */
export function storedCredentials(host: string, env: NodeJS.ProcessEnv = process.env): UserPass | undefined {
  for (const file of authFiles(env)) {
    let auths: Record<string, { auth?: unknown; username?: unknown; password?: unknown }>;
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as { auths?: typeof auths };
      auths = parsed.auths ?? {};
    } catch {
      continue;
    }
    for (const key of keysFor(host)) {
      const entry = auths[key];
      if (!entry) continue;
      if (typeof entry.auth === 'string' && entry.auth) {
        const text = Buffer.from(entry.auth, 'base64').toString('utf8');
        const colon = text.indexOf(':');
        if (colon > 0) return { username: text.slice(0, colon), password: text.slice(colon + 1) };
      }
      if (typeof entry.username === 'string' && typeof entry.password === 'string') return { username: entry.username, password: entry.password };
    }
  }
  return undefined;
}
