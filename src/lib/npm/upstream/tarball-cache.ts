// Upstream tarballs cached as blobs on first download, addressed by the sha512 of the upstream's
// `integrity`, so a cached tarball is verified by construction and needs no index (old packages
// that declare only a sha1 `shasum` are checked against it and found again through a small
// document, repos/npm/<name>/sha1-<hex>.json, naming their blob). The first
// request streams the upstream bytes to its client while they are stored (a tee); its last chunk
// waits for the verdict, so a dying or lying upstream gives the client an error, never a complete
// wrong body. Concurrent requests for one tarball wait for that single fetch and then read the blob.
import { PassThrough, type Readable } from 'node:stream';
import type { BlobStore, WrittenBlob } from '../../blobs/blob-store.js';
import { isNoraError } from '../../errors/nora-error.js';
import { NpmErrors } from '../errors.js';
import type { ObjectStore } from '../../storage/object-store.js';
import { readDocument, writeDocument } from '../../storage/documents.js';
import { packagePrefix, type PackageName } from '../package-name.js';
import { HoldLast } from './hold-last.js';
import { SingleFlight } from './single-flight.js';
import type { UpstreamClient } from './upstream-client.js';

const sha1Key = (name: PackageName, sha1: string): string => `${packagePrefix(name)}sha1-${sha1}.json`;

export interface TarballStream {
  size?: number;
  body: Readable;
  /** 'hit': from the blob store; 'miss': fetched from the upstream now. */
  cache: 'hit' | 'miss';
}

/** What the upstream declared for a tarball: its sha512 (preferred) and/or its sha1 shasum. */
export interface TarballCheck {
  sha512?: string;
  sha1?: string;
}

export class TarballCache {
  private readonly flights = new SingleFlight<WrittenBlob>();

  constructor(private readonly options: { store: ObjectStore; blobs: BlobStore; client: UpstreamClient }) {}

  private async fromBlob(digest: string): Promise<TarballStream> {
    const { info, body } = await this.options.blobs.open(digest);
    return { size: info.size, body, cache: 'hit' };
  }

  /** The digest of the cached blob for `check`, when there is one. */
  private async cached(name: PackageName, check: TarballCheck): Promise<string | undefined> {
    const digest = check.sha512 ? `sha512:${check.sha512}` : (await readDocument<{ digest: string }>(this.options.store, sha1Key(name, check.sha1!)))?.value.digest;
    return digest && (await this.options.blobs.exists(digest)) ? digest : undefined;
  }

  /** The tarball of `name` at `url` matching `check` (sha512 or sha1 required); `file` names it in errors. */
  async open(name: PackageName, url: string, check: TarballCheck, file: string, retryFailedFlight = true): Promise<TarballStream> {
    const known = await this.cached(name, check);
    if (known) return this.fromBlob(known);
    const key = check.sha512 ? `sha512:${check.sha512}` : `sha1:${check.sha1}`;
    const flight = this.flights.get(key);
    if (flight) {
      try {
        return this.fromBlob((await flight).digest);
      } catch (error) {
        // That fetch failed (its own client already got the error); this request starts afresh
        // once rather than inherit a failure that may already be over.
        if (!retryFailedFlight) throw error;
        return this.open(name, url, check, file, false);
      }
    }
    let first!: TarballStream;
    let started!: () => void;
    const ready = new Promise<void>((resolve) => { started = resolve; });
    const stored = this.flights.run(key, async () => {
      try {
        const { stored: written, stream } = await this.fetch(name, url, check, file);
        first = stream;
        started();
        return await written;
      } finally {
        started();
      }
    });
    await Promise.race([ready, stored]);
    if (!first) await stored; // failed before any byte: rethrows the upstream's error
    return first;
  }

  private async fetch(name: PackageName, url: string, check: TarballCheck, file: string): Promise<{ stored: Promise<WrittenBlob>; stream: TarballStream }> {
    const { client, blobs, store } = this.options;
    const upstream = await client.tarball(url);
    if (upstream.status === 404) {
      upstream.body.resume();
      throw NpmErrors.TARBALL_NOT_FOUND(url, file);
    }
    if (upstream.status !== 200) {
      upstream.body.resume();
      throw NpmErrors.UPSTREAM_UNAVAILABLE(client.base, `HTTP ${upstream.status} for ${file}`);
    }
    const toStore = new PassThrough();
    const toClient = new HoldLast();
    upstream.body.on('error', (error) => {
      const failure = client.failure(error);
      toStore.destroy(failure);
      toClient.fail(failure);
    });
    upstream.body.pipe(toStore);
    upstream.body.pipe(toClient);
    // Staged, so a tarball that fails the sha1-only check is discarded before anyone can see it.
    const stored = blobs.stage(toStore, {
      ...(check.sha512 ? { expected: { algorithm: 'sha512' as const, hex: check.sha512 } } : { algorithm: 'sha512' as const }),
      ...(upstream.size === undefined ? {} : { expectedSize: upstream.size }),
      extraHashes: ['sha1'],
      label: `upstream tarball ${file}`,
    }).then(async (staged) => {
      if (check.sha512) return staged.commit();
      if (staged.hashes.sha1 !== check.sha1) {
        await staged.discard();
        throw NpmErrors.UPSTREAM_INTEGRITY(client.base, file);
      }
      const written = await staged.commit();
      await writeDocument(store, sha1Key(name, check.sha1!), { digest: written.digest });
      return written;
    }).catch((error: unknown) => {
      upstream.body.destroy();
      if (isNoraError(error) && error.code === 'DIGEST_MISMATCH') throw NpmErrors.UPSTREAM_INTEGRITY(client.base, file);
      if (isNoraError(error) && error.status < 500 && !error.code.startsWith('NPM_')) throw NpmErrors.UPSTREAM_UNAVAILABLE(client.base, error.message);
      throw error;
    });
    stored.then(() => toClient.release(), (error: Error) => toClient.fail(error));
    return { stored, stream: { body: toClient, cache: 'miss', ...(upstream.size === undefined ? {} : { size: upstream.size }) } };
  }
}
