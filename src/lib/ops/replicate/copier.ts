// Copies one artifact (a tag or digest of one repository) from a source to a destination:
// the manifest byte for byte, after everything it references (an index's child manifests, an
// image's config and layers), and optionally the manifests that refer to it (signatures, SBOMs,
// attestations). A manifest the destination already holds under the same digest is skipped;
// a blob it already has is skipped (HEAD) or mounted from another repository it was copied to
// in this run; other blobs stream through a digest check that fails the upload before its last
// byte when the bytes are wrong, so no wrong blob is ever stored.
import { Transform, pipeline, type Readable } from 'node:stream';
import { Limiter } from '../../upstream/limiter.js';
import { UpstreamErrors } from '../../upstream/errors.js';
import { VerifyingStream, type ChecksumAlgorithm } from '../../streams/verifying-stream.js';
import { readLimited } from '../../streams/read-limited.js';
import { paceScavenges } from '../../streams/scavenge-pacer.js';
import type { FetchedManifest, OciEndpoint } from './endpoint.js';
import { ReplicateErrors } from './errors.js';
import { platformMatches, type Selection } from './filters.js';
import type { ReplicateEvent } from './events.js';

export interface CopierOptions {
  source: OciEndpoint;
  dest: OciEndpoint;
  selection: Selection;
  referrers: boolean;
  dryRun: boolean;
  /** Most blobs streaming at once. */
  concurrency: number;
  /** Runs one step with the retry policy. */
  retry: <T>(what: string, step: () => Promise<T>) => Promise<T>;
  emit: (event: ReplicateEvent) => void;
}

export interface CopyResult {
  status: 'copied' | 'skipped' | 'would-copy' | 'filtered';
  digest: string;
  /** Bytes of the artifact's blobs (and child manifests' blobs). */
  size: number;
  /** Bytes sent to the destination (dry run: that would be sent). */
  transferred: number;
  reason?: string;
}

interface Descriptor { digest: string; size: number; platform?: Record<string, unknown> }
interface ManifestDoc { config?: Descriptor; layers?: Descriptor[]; manifests?: Descriptor[]; blobs?: Descriptor[] }

const INDEX_TYPES = new Set(['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json']);
const MAX_REFERRER_DEPTH = 4;
const CONFIG_LIMIT = 1024 * 1024;
/** Bytes buffered between the source's body and the destination's upload (bounded memory per blob). */
const WINDOW = 1024 * 1024;
const PROGRESS_STEP = 1024 * 1024;

export class Copier {
  private readonly blobSlots: Limiter;
  /** Blob uploads running or done, per "destination repo@digest": two tags sharing a layer upload it once. */
  private readonly blobs = new Map<string, Promise<number>>();
  /** A destination repository each blob is known to be in (for cross-repository mounts). */
  private readonly placed = new Map<string, string>();

  constructor(private readonly o: CopierOptions) {
    this.blobSlots = new Limiter(o.concurrency);
  }

  /** Copies `reference` of `srcRepo` to `destRepo` under `destReference` (default the same). */
  async copy(srcRepo: string, destRepo: string, reference: string, destReference = reference, depth = 0): Promise<CopyResult> {
    const { source, dest, selection } = this.o;
    let manifest = await this.o.retry(`manifest ${srcRepo}:${reference}`, () => source.manifest(srcRepo, reference));
    if (!manifest) throw ReplicateErrors.SOURCE_MISSING(`manifest ${reference} of ${srcRepo}`);
    if (selection.platform && isIndex(manifest)) {
      const wanted = selection.platform;
      const entry = doc(manifest).manifests?.find((m) => platformMatches(m.platform, wanted));
      if (!entry) return { status: 'filtered', digest: manifest.digest, size: 0, transferred: 0, reason: `no ${[wanted.os, wanted.architecture, wanted.variant].filter(Boolean).join('/')} image in the index` };
      const child = await this.o.retry(`manifest ${srcRepo}@${entry.digest}`, () => source.manifest(srcRepo, entry.digest));
      if (!child) throw ReplicateErrors.SOURCE_MISSING(`manifest ${entry.digest} of ${srcRepo}`);
      manifest = child;
    }
    if (selection.since !== undefined && depth === 0) {
      const created = await this.created(srcRepo, manifest);
      if (created !== undefined && created < selection.since) {
        return { status: 'filtered', digest: manifest.digest, size: 0, transferred: 0, reason: `created ${new Date(created).toISOString()}, before --since` };
      }
    }
    const present = await this.o.retry(`manifest ${destRepo}:${destReference} at the destination`, () => dest.manifestDigest(destRepo, destReference));
    let result: CopyResult;
    if (present === manifest.digest) {
      result = { status: 'skipped', digest: manifest.digest, size: 0, transferred: 0, reason: 'the destination has this digest' };
    } else {
      const { size, transferred } = await this.tree(srcRepo, destRepo, manifest);
      if (!this.o.dryRun) await this.o.retry(`manifest ${destRepo}:${destReference}`, () => dest.putManifest(destRepo, destReference, manifest));
      result = { status: this.o.dryRun ? 'would-copy' : 'copied', digest: manifest.digest, size, transferred };
    }
    if (this.o.referrers && depth < MAX_REFERRER_DEPTH) await this.copyReferrers(srcRepo, destRepo, manifest, depth);
    return result;
  }

  /** Everything `manifest` references, children first; sizes of its blobs and what was sent. */
  private async tree(srcRepo: string, destRepo: string, manifest: FetchedManifest): Promise<{ size: number; transferred: number }> {
    const parsed = doc(manifest);
    let size = 0;
    let transferred = 0;
    if (isIndex(manifest)) {
      for (const entry of parsed.manifests ?? []) {
        const has = await this.o.retry(`manifest ${destRepo}@${entry.digest} at the destination`, () => this.o.dest.manifestDigest(destRepo, entry.digest));
        if (has === entry.digest) continue;
        const child = await this.o.retry(`manifest ${srcRepo}@${entry.digest}`, () => this.o.source.manifest(srcRepo, entry.digest));
        if (!child) throw ReplicateErrors.SOURCE_MISSING(`manifest ${entry.digest} of ${srcRepo}`);
        const part = await this.tree(srcRepo, destRepo, child);
        size += part.size;
        transferred += part.transferred;
        if (!this.o.dryRun) await this.o.retry(`manifest ${destRepo}@${entry.digest}`, () => this.o.dest.putManifest(destRepo, entry.digest, child));
      }
      return { size, transferred };
    }
    const blobs = [...(parsed.config ? [parsed.config] : []), ...(parsed.layers ?? []), ...(parsed.blobs ?? [])].filter((d) => typeof d.digest === 'string' && Number.isSafeInteger(d.size));
    const sent = await Promise.all(blobs.map((blob) => this.blob(srcRepo, destRepo, blob)));
    for (const blob of blobs) size += blob.size;
    for (const n of sent) transferred += n;
    return { size, transferred };
  }

  /** Copies one blob unless the destination repository has it; resolves to the bytes sent. */
  private blob(srcRepo: string, destRepo: string, blob: Descriptor): Promise<number> {
    const key = `${destRepo}@${blob.digest}`;
    let running = this.blobs.get(key);
    if (!running) {
      running = this.placeBlob(srcRepo, destRepo, blob);
      this.blobs.set(key, running);
      running.catch(() => this.blobs.delete(key));
    }
    return running;
  }

  private async placeBlob(srcRepo: string, destRepo: string, blob: Descriptor): Promise<number> {
    const { dest } = this.o;
    const event = { type: 'blob' as const, repo: destRepo, digest: blob.digest, size: blob.size };
    if (await this.o.retry(`blob ${blob.digest} at the destination`, () => dest.hasBlob(destRepo, blob.digest))) {
      this.placed.set(blob.digest, destRepo);
      this.o.emit({ ...event, status: 'skipped' });
      return 0;
    }
    if (this.o.dryRun) return blob.size;
    const other = this.placed.get(blob.digest);
    if (other && other !== destRepo && await this.o.retry(`mount of ${blob.digest}`, () => dest.mountBlob(destRepo, other, blob.digest))) {
      this.o.emit({ ...event, status: 'mounted', from: other });
      return 0;
    }
    const release = await this.blobSlots.acquire();
    try {
      await this.o.retry(`blob ${blob.digest}`, () => this.transfer(srcRepo, destRepo, blob));
    } finally {
      release();
    }
    this.placed.set(blob.digest, destRepo);
    this.o.emit({ ...event, status: 'copied' });
    return blob.size;
  }

  /** One streamed attempt: source GET → size count → digest check → destination PUT. */
  private async transfer(srcRepo: string, destRepo: string, blob: Descriptor): Promise<void> {
    const { source, dest } = this.o;
    const [algorithm, hex] = blob.digest.split(':') as [ChecksumAlgorithm, string];
    if (algorithm !== 'sha256' && algorithm !== 'sha512') throw ReplicateErrors.UNSUPPORTED(`blob ${blob.digest}: only sha256 and sha512 digests can be verified`);
    const body = await source.openBlob(srcRepo, blob.digest);
    let sourceError: unknown;
    let done = 0;
    let told = 0;
    const counter = new Transform({
      highWaterMark: WINDOW,
      transform: (chunk: Buffer, _encoding, callback) => {
        done += chunk.length;
        paceScavenges(chunk.length);
        if (done > blob.size) { callback(UpstreamErrors.INTEGRITY({ label: source.label, upstream: source.label }, `blob ${blob.digest}`, `more than its ${blob.size} bytes`)); return; }
        // Progress every MiB and at the end, not per chunk.
        if (done - told >= PROGRESS_STEP || done === blob.size) {
          told = done;
          this.o.emit({ type: 'bytes', digest: blob.digest, done, total: blob.size });
        }
        callback(null, chunk);
      },
    });
    const verifier = new VerifyingStream({ [algorithm]: hex }, (_a, _wanted, actual) =>
      UpstreamErrors.INTEGRITY({ label: source.label, upstream: source.label }, `blob ${blob.digest}`, `its bytes hash to ${algorithm}:${actual}`));
    body.once('error', (error) => { sourceError ??= error; });
    let checkError: unknown;
    const checked: Readable = pipeline(body, counter, verifier, (error) => { if (error && !sourceError) checkError = error; });
    try {
      await dest.putBlob(destRepo, blob.digest, blob.size, checked);
    } catch (error) {
      checked.destroy();
      if (sourceError) throw source.failure ? source.failure(sourceError) : sourceError;
      if (checkError) throw checkError;
      throw error;
    }
  }

  private async copyReferrers(srcRepo: string, destRepo: string, manifest: FetchedManifest, depth: number): Promise<void> {
    const subjects = [manifest.digest, ...(isIndex(manifest) ? (doc(manifest).manifests ?? []).map((m) => m.digest) : [])];
    for (const subject of subjects) {
      const referrers = await this.o.retry(`referrers of ${subject}`, () => this.o.source.referrers(srcRepo, subject));
      for (const digest of referrers) {
        const result = await this.copy(srcRepo, destRepo, digest, digest, depth + 1);
        this.o.emit({ type: 'artifact', status: result.status, repo: destRepo, reference: digest, digest, size: result.size, bytes: result.transferred, referrer: subject, ...(result.reason ? { reason: result.reason } : {}) });
      }
    }
  }

  /** The image's creation time from its config (an index: its first image's), or undefined. */
  private async created(srcRepo: string, manifest: FetchedManifest): Promise<number | undefined> {
    let image = manifest;
    if (isIndex(image)) {
      const first = doc(image).manifests?.[0];
      const child = first ? await this.o.retry(`manifest ${srcRepo}@${first.digest}`, () => this.o.source.manifest(srcRepo, first.digest)) : undefined;
      if (!child) return undefined;
      image = child;
    }
    const config = doc(image).config;
    if (!config || config.size > CONFIG_LIMIT) return undefined;
    const bytes = await this.o.retry(`config ${config.digest}`, async () => readLimited(await this.o.source.openBlob(srcRepo, config.digest), CONFIG_LIMIT, 'image config', () => new Error('image config too large')));
    try {
      const created = (JSON.parse(bytes.toString('utf8')) as { created?: unknown }).created;
      const when = typeof created === 'string' ? Date.parse(created) : Number.NaN;
      return Number.isNaN(when) ? undefined : when;
    } catch {
      return undefined;
    }
  }
}

function isIndex(manifest: FetchedManifest): boolean {
  if (INDEX_TYPES.has(manifest.mediaType)) return true;
  const inside = doc(manifest) as { mediaType?: unknown };
  return typeof inside.mediaType === 'string' && INDEX_TYPES.has(inside.mediaType);
}

const parsedDocs = new WeakMap<Buffer, ManifestDoc>();

function doc(manifest: FetchedManifest): ManifestDoc {
  let parsed = parsedDocs.get(manifest.bytes);
  if (!parsed) {
    try {
      const value = JSON.parse(manifest.bytes.toString('utf8')) as unknown;
      parsed = value && typeof value === 'object' ? value : {};
    } catch {
      throw ReplicateErrors.UNSUPPORTED(`manifest ${manifest.digest} is not JSON`);
    }
    parsedDocs.set(manifest.bytes, parsed);
  }
  return parsed;
}
