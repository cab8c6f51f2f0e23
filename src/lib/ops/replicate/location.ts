// Where `nora replicate` reads from or writes to, parsed from the --from/--to text:
//   local/PREFIX/                     this store (PREFIX, possibly empty, is prepended to names)
//   [http(s)://]host[:port][/path]    an OCI registry (a NORA too); https unless http:// is written
//     path may hold * (one segment) and ** (any depth) over repository names, and end with
//     :TAG or @DIGEST. Docker Hub's short forms (docker.io/nginx) become registry-1.docker.io/library/nginx.
import { ReplicateErrors } from './errors.js';

export type Location =
  | { kind: 'local'; prefix: string }
  | { kind: 'registry'; base: string; host: string; path: string; glob: boolean; tag?: string; digest?: string; /** Written as a URL (http(s)://): a NORA_TOKEN applies. */ url: boolean };

const DOCKER_HUB = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);
const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
const TAG = /^[\w][\w.-]{0,127}$/;

/** True for Docker Hub, which offers no catalog to enumerate. */
export const isDockerHub = (host: string): boolean => DOCKER_HUB.has(host.toLowerCase());

export function parseLocation(text: string, flag: string): Location {
  const fail = (why: string) => ReplicateErrors.BAD_LOCATION(flag, text, why);
  if (text === 'local' || text.startsWith('local/')) {
    const prefix = text.slice('local'.length).replace(/^\/+/, '');
    if (prefix && !/^[a-z0-9]+(?:[._/-][a-z0-9]+)*\/?$/.test(prefix)) throw fail('the prefix must be a lowercase repository path such as "local/imported/"');
    return { kind: 'local', prefix: prefix && !prefix.endsWith('/') ? `${prefix}/` : prefix };
  }
  const scheme = /^(https?):\/\//i.exec(text);
  const rest = scheme ? text.slice(scheme[0].length) : text;
  if (/@[^/]*\//.test(rest.split('/')[0] ?? '') || rest.split('/')[0]?.includes('@')) throw fail('write credentials with --src-creds/--dst-creds, never in the location');
  const slash = rest.indexOf('/');
  const host = (slash < 0 ? rest : rest.slice(0, slash)).toLowerCase();
  let path = slash < 0 ? '' : rest.slice(slash + 1);
  if (!/^[a-z0-9.-]+(?::\d{1,5})?$/.test(host) || !host) throw fail('expected host[:port]/path, e.g. quay.io/org/app or http://127.0.0.1:5000/app');
  let tag: string | undefined;
  let digest: string | undefined;
  const at = path.indexOf('@');
  if (at >= 0) {
    digest = path.slice(at + 1);
    path = path.slice(0, at);
    if (!DIGEST.test(digest)) throw fail(`"${digest}" is not a digest (sha256:<hex>)`);
  } else {
    const colon = path.lastIndexOf(':');
    if (colon >= 0 && !path.slice(colon).includes('/')) {
      tag = path.slice(colon + 1);
      path = path.slice(0, colon);
      if (!TAG.test(tag)) throw fail(`"${tag}" is not a tag`);
    }
  }
  path = path.replace(/\/+$/, '');
  const glob = /[*?]/.test(path);
  if (path && !/^[a-z0-9*?]+(?:(?:[._-]|__|\/)[a-z0-9*?]+)*$/.test(path.replace(/\*\*/g, '*'))) throw fail(`"${path}" is not a repository path (lowercase segments, * and ** allowed)`);
  if ((tag || digest) && (glob || !path)) throw fail('a :TAG or @DIGEST names one repository, not a pattern');
  let realHost = host;
  if (isDockerHub(host)) {
    realHost = 'registry-1.docker.io';
    if (path && !path.includes('/') && !glob) path = `library/${path}`;
  }
  const base = `${scheme ? scheme[1]!.toLowerCase() : 'https'}://${realHost}`;
  return { kind: 'registry', base, host: realHost, path, glob, url: !!scheme, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}
