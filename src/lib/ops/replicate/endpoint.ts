// What replication needs of one side: a remote OCI registry over HTTP (registry-endpoint.ts) or
// this store through the OCI format service (local-endpoint.ts). Reads are what a source
// answers; writes are what a destination accepts. Every call names the repository on its side.
import type { Readable } from 'node:stream';

export interface FetchedManifest {
  /** Exactly the bytes the source served. */
  bytes: Buffer;
  mediaType: string;
  digest: string;
}

export interface OciEndpoint {
  /** How messages name this side (never with credentials). */
  readonly label: string;
  /** Every repository name, in the order the source lists them; REPLICATE_NO_CATALOG when it cannot. */
  repositories(): Promise<string[]>;
  /** Every tag of `repo`; empty when the repository is unknown. */
  tags(repo: string): Promise<string[]>;
  /** The manifest a tag or digest names, byte-exact; undefined when absent. */
  manifest(repo: string, reference: string): Promise<FetchedManifest | undefined>;
  /** The digest a tag or digest resolves to, without the body; undefined when absent. */
  manifestDigest(repo: string, reference: string): Promise<string | undefined>;
  /** Digests of the manifests whose subject is `digest` (the referrers API); empty when unsupported. */
  referrers(repo: string, digest: string): Promise<string[]>;
  hasBlob(repo: string, digest: string): Promise<boolean>;
  /** The blob's bytes as a stream; REPLICATE_SOURCE_MISSING when absent. */
  openBlob(repo: string, digest: string): Promise<Readable>;
  /** Links a blob `from` holds into `repo`; false when that is not possible (then upload it). */
  mountBlob(repo: string, from: string, digest: string): Promise<boolean>;
  /** Writes a blob from a stream; nothing is kept unless its bytes match `digest` and `size`. */
  putBlob(repo: string, digest: string, size: number, body: Readable): Promise<void>;
  /** Stores a manifest byte-exact under a tag or its digest. */
  putManifest(repo: string, reference: string, manifest: FetchedManifest): Promise<void>;
  /** The error to report for a failure while reading a body this side sent (transport errors become UPSTREAM_*). */
  failure?(error: unknown): Error;
  close(): Promise<void>;
}
