// The one contract every format's service implements (oci, npm, maven, cargo, pypi; later go,
// helm, raw). The composition root (services.ts) builds each once; the HTTP plugins, the
// management API, the CLI and ops/ (gc, restore, retention, replication, quotas, the UI) work
// through it only, so nothing outside a format knows its key layout (repos/<format>/...).
// Every mutating method publishes exactly one domain event per mutation on the bus (see
// events/bus.ts); only an operation that writes the store wholesale (restore) announces what
// it wrote itself, from these services' listings.
import type { DocumentFilter } from '../blobs/digest-scan.js';

export const FORMATS = ['oci', 'npm', 'maven', 'cargo', 'pypi'] as const;
export type FormatName = (typeof FORMATS)[number];

/** Who asked for a mutation; the request id comes from the request context (events/context.ts). */
export interface MutationContext {
  /** Identity name; absent or "anonymous" for an anonymous caller, "gc"/"restore" for operator runs. */
  actor?: string;
}

export interface ListNamesOptions {
  /** A simple glob (`*`, `**`, `?`: lib/glob/simple-glob.ts) over the format's own spelling of names ("team/*", "@acme/*", "org.example:*"). */
  glob?: string;
  /** Names strictly after this one (the `next` of the previous page). */
  after?: string;
  /** Page size (default: everything). */
  limit?: number;
  /** Keeps only names the caller may pull; gets the access name (see accessName). */
  canPull?: (accessName: string) => boolean | Promise<boolean>;
}

export interface NamePage {
  /** Names in ascending order, in the format's own spelling. */
  items: string[];
  /** Present when more follow: pass it as `after`. */
  next?: string;
}

/** One platform of a multi-platform image (OCI index). */
export interface PlatformSize {
  platform: string;
  digest: string;
  size: number;
}

/** One tag (OCI) or version (other formats), as listings, retention and the UI see it. */
export interface VersionInfo {
  name: string;
  /** Tag (OCI) or version. */
  version: string;
  /** The digest of the artifact's root blob (OCI manifest, npm tarball, ...). */
  digest: string;
  /** Sum of the artifact's blobs: an image is config + layers; an index sums its distinct children's blobs. */
  size: number;
  /** ISO time the tag was last pointed / the version was published. */
  pushed: string;
  /** ISO time of the last pull (undefined: never pulled since tracking began). */
  lastPulled?: string;
  pulls: number;
  /** Tags naming this version (npm dist-tags). */
  tags?: string[];
  /** Per platform, for an OCI index. */
  platforms?: PlatformSize[];
  yanked?: boolean;
}

/** What `read` returns: the listing fields plus the blobs the artifact consists of. */
export interface ArtifactDetail extends VersionInfo {
  /** Every blob of the artifact (manifest, config, layers; tarball; files), each once. */
  blobs: { digest: string; size: number }[];
  /** The format's own metadata (OCI manifest JSON, npm version manifest, ...). */
  metadata: Record<string, unknown>;
}

export interface Usage {
  /** Bytes of the distinct blobs this format's artifacts reference. */
  bytes: number;
  names: number;
  versions: number;
}

/** What a format does before gc marks (OCI: expire upload sessions, drop stale blob links). */
export interface GcPreparation {
  uploadsRemoved: number;
  linksRemoved: number;
  /** Pass to referencedBlobs' `skipKeys` in a dry run: references the real run would drop first. */
  skipKeys: Set<string>;
}

/** One manifest of an OCI repository, tagged or not, as retention sees it. */
export interface ManifestListing {
  digest: string;
  mediaType: string;
  /** ISO time the manifest was first stored in the repository. */
  pushed: string;
  /** Tags naming it now. */
  tags: string[];
  /** ISO time each of those tags was last pointed. */
  tagPushed: Record<string, string>;
  /** Child manifests it lists (an index). */
  children: string[];
  /** The manifest its `subject` names (a referrer: signature, SBOM, attestation). */
  subject?: string;
  /** Every blob it holds (an index: its stored children's too), each once. */
  blobs: { digest: string; size: number }[];
  lastPulled?: string;
  pulls: number;
}

/** One timestamped build of a Maven SNAPSHOT version ("20240101.120000-3"). */
export interface BuildInfo {
  build: string;
  /** ISO time its newest file was stored. */
  pushed: string;
  size: number;
  blobs: { digest: string; size: number }[];
  lastPulled?: string;
  pulls: number;
}

/** One piece of cached upstream content, the unit cache eviction removes. */
export interface CachedItem {
  name: string;
  /** Tag, digest, version or file, as `evictCached` takes it back. */
  reference: string;
  /** The upstream's name as [[<format>.upstreams]] names it. */
  upstream: string;
  size: number;
  /** ISO time it was cached. */
  cached: string;
  lastPulled?: string;
  /** Blobs it holds (what gc may free once it is evicted). */
  blobs: { digest: string; size: number }[];
}

export interface FormatService {
  readonly format: FormatName;
  /** The name access rules match (Maven: "org/example/lib" for "org.example:lib"). */
  accessName(name: string): string;
  /** One page of names, glob- and pull-filtered. */
  listNames(options?: ListNamesOptions): Promise<NamePage>;
  /** Tags / versions of one name, with push and pull times, pull counts and sizes; [] when unknown. */
  listVersions(name: string): Promise<VersionInfo[]>;
  /** One tag, digest or version; undefined when absent. */
  read(name: string, reference: string): Promise<ArtifactDetail | undefined>;
  /**
   * Deletes a version, or (formats with tags) a tag or a digest, with the format's rules; false
   * when absent. Metadata only: bytes go at the next gc.
   */
  delete(name: string, reference: string, context?: MutationContext): Promise<boolean>;
  /** Points `tag` of `target` at what `source` names (OCI: across repositories); undefined when the source is absent. */
  tag?(source: { name: string; reference: string }, target: { name: string; tag: string }, context?: MutationContext): Promise<{ digest: string } | undefined>;
  /** Removes a tag only; false when absent. */
  untag?(name: string, tag: string, context?: MutationContext): Promise<boolean>;
  /** Cargo: marks a version (un)yanked; false when absent. */
  yank?(name: string, version: string, yanked: boolean, context?: MutationContext): Promise<boolean>;
  /** Every blob digest this format's metadata references (gc marking). */
  referencedBlobs(filter?: DocumentFilter): AsyncIterable<string>;
  /** Format housekeeping before gc marks; publishes an event per removed link. */
  prepareGc?(options: { cutoff: Date; uploadTtlMs: number; dryRun: boolean; now?: number }): Promise<GcPreparation>;
  usage(): Promise<Usage>;
  /** OCI: every manifest of a repository with its tags, children and subject (retention). */
  listManifests?(name: string): Promise<ManifestListing[]>;
  /** Maven: the timestamped builds of a SNAPSHOT version ([] for a release or a non-unique SNAPSHOT). */
  listBuilds?(name: string, version: string): Promise<BuildInfo[]>;
  /** Maven: removes one timestamped build's files (one ArtifactDeleted); false when absent. */
  deleteBuild?(name: string, version: string, build: string, context?: MutationContext): Promise<boolean>;
  /** Cached upstream content (pull-through caches), never local content. */
  listCached?(): AsyncIterable<CachedItem>;
  /** Removes one cached item (one ArtifactDeleted); false when absent or no longer cached. */
  evictCached?(item: CachedItem, context?: MutationContext): Promise<boolean>;
  /** True for a key of this format's in-flight state (OCI upload sessions), which backups leave out. */
  isTransientKey?(key: string): boolean;
}

export type FormatServices = Record<FormatName, FormatService>;
