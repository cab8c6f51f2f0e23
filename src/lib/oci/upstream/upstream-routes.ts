// Which upstream serves a repository name, and under which name there: the longest matching
// prefix upstream ("ghcr.io/org/img" -> ghcr's "org/img"), else the default upstream, where a
// single-segment name is an official image ("nginx" -> "library/nginx", as Docker Hub names it).
// Mirror-style requests (/v2/library/nginx/..., from Docker's registry-mirrors or containerd's
// hosts.toml) already carry the upstream's name and map to themselves.
import type { NoraConfig } from '../../config/schema.js';

export type UpstreamConfig = NoraConfig['docker']['upstreams'][number];

export interface UpstreamTarget {
  upstream: UpstreamConfig;
  /** The repository's name on the upstream. */
  remote: string;
}

export class UpstreamRoutes {
  private readonly prefixed: UpstreamConfig[];
  private readonly fallback: UpstreamConfig | undefined;

  constructor(upstreams: UpstreamConfig[]) {
    this.prefixed = upstreams.filter((u) => u.prefix !== '').sort((a, b) => b.prefix.length - a.prefix.length);
    this.fallback = upstreams.find((u) => u.default);
  }

  /** The upstream serving `name` (a valid repository name), or undefined when none does. */
  route(name: string): UpstreamTarget | undefined {
    const prefixed = this.prefixed.find((u) => name.startsWith(u.prefix) && name.length > u.prefix.length);
    if (prefixed) return { upstream: prefixed, remote: remoteName(name.slice(prefixed.prefix.length), prefixed) };
    if (this.fallback) return { upstream: this.fallback, remote: remoteName(name, this.fallback) };
    return undefined;
  }

  /** True when `name` lies in a prefix upstream's namespace (never a place for local pushes by default). */
  isPrefixed(name: string): boolean {
    return this.prefixed.some((u) => name.startsWith(u.prefix));
  }
}

/** Docker Hub's official images live under library/; the default upstream maps one-segment names there. */
const remoteName = (name: string, upstream: UpstreamConfig): string =>
  upstream.default && !name.includes('/') ? `library/${name}` : name;
