// Packuments (npm registry API "package metadata"): the stored shape and the two forms served,
// full (application/json) and abbreviated (application/vnd.npm.install-v1+json, only what an
// install needs). Stored manifests keep dist.tarball as a bare file name or the upstream's URL;
// rendering points every tarball at NORA's own base URL.
export type Manifest = Record<string, unknown> & {
  name: string;
  version: string;
  deprecated?: string;
  dist: Record<string, unknown> & { tarball: string; integrity?: string; shasum?: string };
};

export interface Packument {
  name: string;
  'dist-tags': Record<string, string>;
  versions: Record<string, Manifest>;
  time: Record<string, string>;
  [key: string]: unknown;
}

export const ABBREVIATED_TYPE = 'application/vnd.npm.install-v1+json';

const ABBREVIATED_FIELDS = [
  'name', 'version', 'deprecated', 'dependencies', 'optionalDependencies', 'devDependencies', 'bundleDependencies',
  'peerDependencies', 'peerDependenciesMeta', 'acceptDependencies', 'bin', 'directories', 'dist', 'engines',
  '_hasShrinkwrap', 'hasInstallScript', 'cpu', 'os', 'libc', 'funding', 'license',
] as const;

/** The last path segment of a tarball reference (a bare file name or an upstream URL). */
export function tarballFileOf(reference: string): string {
  const path = reference.split('?', 1)[0]!;
  return decodeURIComponent(path.slice(path.lastIndexOf('/') + 1));
}

/** The URL NORA serves a package's tarball at, under `registryBase` (".../npm"). */
export const tarballUrl = (registryBase: string, fullName: string, file: string): string => `${registryBase}/${fullName}/-/${file}`;

function withTarball(manifest: Manifest, registryBase: string, fullName: string): Manifest {
  if (typeof manifest?.dist?.tarball !== 'string') return manifest; // malformed upstream data passes as is
  return { ...manifest, dist: { ...manifest.dist, tarball: tarballUrl(registryBase, fullName, tarballFileOf(manifest.dist.tarball)) } };
}

export interface RenderOptions {
  registryBase: string;
  abbreviated: boolean;
  /** `_rev` of a local package; upstream packuments have none. */
  rev?: string;
}

/** The packument a client receives: tarballs rewritten, abbreviated when asked. Pure. */
export function renderPackument(packument: Packument, options: RenderOptions): Record<string, unknown> {
  const versions: Record<string, Manifest> = {};
  for (const [version, manifest] of Object.entries(packument.versions)) {
    const rewritten = withTarball(manifest, options.registryBase, packument.name);
    versions[version] = options.abbreviated && typeof rewritten === 'object' && rewritten !== null ? abbreviate(rewritten) : rewritten;
  }
  if (options.abbreviated) {
    return { name: packument.name, modified: packument.time.modified ?? new Date(0).toISOString(), 'dist-tags': packument['dist-tags'], versions };
  }
  const { _rev: _ignored, _attachments: _none, ...rest } = packument;
  return { ...rest, _id: packument.name, ...(options.rev ? { _rev: options.rev } : {}), versions };
}

/** The abbreviated form of one version manifest. */
export function abbreviate(manifest: Manifest): Manifest {
  const out: Record<string, unknown> = {};
  for (const field of ABBREVIATED_FIELDS) if (manifest[field] !== undefined) out[field] = manifest[field];
  return out as Manifest;
}

/** True when the Accept header prefers the abbreviated form (npm install sends it first). */
export function wantsAbbreviated(accept: string | undefined): boolean {
  if (!accept) return false;
  const first = accept.split(',')[0]!.split(';', 1)[0]!.trim().toLowerCase();
  return first === ABBREVIATED_TYPE;
}

/** Highest version by semver precedence (prereleases below their release); undefined when none. */
export function highestVersion(versions: string[], includePrerelease = false): string | undefined {
  const candidates = versions.filter((v) => includePrerelease || !v.includes('-'));
  return candidates.sort(compareVersions).at(-1);
}

export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const [core, pre] = v.split('+', 1)[0]!.split(/-(.*)/s) as [string, string | undefined];
    return { nums: core.split('.').map(Number), pre: pre === undefined ? [] : pre.split('.') };
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < 3; i++) if (x.nums[i] !== y.nums[i]) return (x.nums[i] ?? 0) - (y.nums[i] ?? 0);
  if (x.pre.length === 0 || y.pre.length === 0) return y.pre.length - x.pre.length;
  for (let i = 0; i < Math.max(x.pre.length, y.pre.length); i++) {
    const p = x.pre[i];
    const q = y.pre[i];
    if (p === undefined) return -1;
    if (q === undefined) return 1;
    if (p === q) continue;
    const pn = /^\d+$/.test(p);
    const qn = /^\d+$/.test(q);
    if (pn && qn) return Number(p) - Number(q);
    if (pn !== qn) return pn ? -1 : 1;
    return p < q ? -1 : 1;
  }
  return 0;
}
