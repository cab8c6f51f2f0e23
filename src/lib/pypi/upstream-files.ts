// Files of upstream projects, cached as ordinary blobs on first download. The first request
// streams the upstream body to the client while it is written to the blob store, verified
// against the sha256 the upstream page declares (a mismatch stores nothing and cuts the client
// off before the last bytes); concurrent requests for the same file wait for that one fetch and
// read the stored blob. PEP 658 metadata files are fetched, verified and stored the same way.
import { PassThrough, type Readable } from 'node:stream';
import { isNoraError } from '../errors/nora-error.js';
import type { BlobStore } from '../blobs/blob-store.js';
import { SingleFlight } from './single-flight.js';
import type { UpstreamClient } from './upstream-client.js';
import type { UpstreamFile } from './upstream-page.js';
import { VerifyingStream } from './verifying-stream.js';
import { METADATA_SUFFIX } from './file-urls.js';
import { PypiErrors } from './errors.js';

/** A stored blob (ranges and ETags possible), or the upstream body being stored. */
export type FetchedFile = { digest: string } | { body: Readable; size?: number };

export class UpstreamFiles {
  private readonly flights = new SingleFlight();

  constructor(private readonly blobs: BlobStore, private readonly client: UpstreamClient) {}

  /** The digest of a cached copy, if the file is stored. */
  async cached(sha256: string): Promise<string | undefined> {
    const digest = `sha256:${sha256}`;
    return (await this.blobs.exists(digest)) ? digest : undefined;
  }

  /** Streams the file from the upstream while storing it; undefined when the upstream lost it. */
  async open(file: UpstreamFile): Promise<FetchedFile | undefined> {
    const key = `file:${file.sha256}`;
    // Someone is fetching it right now: wait for that download and read the stored blob; if it
    // failed (a hash mismatch, a broken connection), try once more ourselves.
    for (let pending = this.flights.pending(key); pending; pending = this.flights.pending(key)) {
      await pending.catch(() => undefined);
      const digest = await this.cached(file.sha256);
      if (digest) return { digest };
    }
    let handOver!: (value: FetchedFile | undefined) => void;
    let refuse!: (error: unknown) => void;
    const handed = new Promise<FetchedFile | undefined>((resolve, reject) => { handOver = resolve; refuse = reject; });
    // Registered synchronously, before the first await, so concurrent callers find it.
    this.flights.run(key, async () => {
      let upstream;
      try {
        upstream = await this.client.file(file.url);
      } catch (error) {
        refuse(error);
        throw error;
      }
      if (!upstream) { handOver(undefined); return; }
      const toStore = new PassThrough();
      const toClient = new VerifyingStream(file.sha256, () => PypiErrors.UPSTREAM_HASH_MISMATCH(file.filename));
      upstream.body.on('error', (error) => { toStore.destroy(error); toClient.destroy(error); });
      // If the client goes away, pipe() unpipes it and the upstream body keeps flowing into the store.
      upstream.body.pipe(toStore);
      upstream.body.pipe(toClient);
      const stored = this.blobs.write(toStore, { expected: { algorithm: 'sha256', hex: file.sha256 }, label: `upstream file ${file.filename}` });
      handOver({ body: toClient, ...(upstream.size !== undefined ? { size: upstream.size } : {}) });
      await stored;
    }).catch(() => undefined);
    return handed;
  }

  /** The PEP 658 metadata of an upstream wheel, stored and verified before it is served. */
  async metadata(file: UpstreamFile): Promise<string | undefined> {
    const sha256 = file.coreMetadataSha256;
    if (!sha256) return undefined;
    const digest = await this.flights.run(`metadata:${sha256}`, async () => {
      const existing = await this.cached(sha256);
      if (existing) return existing;
      const upstream = await this.client.file(`${file.url}${METADATA_SUFFIX}`);
      if (!upstream) return undefined;
      try {
        return (await this.blobs.write(upstream.body, { expected: { algorithm: 'sha256', hex: sha256 }, maxSize: 16 * 1024 * 1024, label: `upstream metadata of ${file.filename}` })).digest;
      } catch (error) {
        if (!isNoraError(error) || error.code !== 'DIGEST_MISMATCH') throw error;
        throw PypiErrors.UPSTREAM_HASH_MISMATCH(`${file.filename}${METADATA_SUFFIX}`);
      }
    });
    return digest;
  }
}
