// Files of upstream projects, cached as ordinary blobs on first download. The upstream kit's
// download streams the upstream body to every client asking for it while it is written to the
// blob store, checked against the sha256 the upstream page declares on the way: a mismatch
// stores nothing and cuts every client off before the last bytes. PEP 658 metadata files are
// fetched, verified and stored the same way before they are served.
import type { Readable } from 'node:stream';
import { isNoraError } from '../errors/nora-error.js';
import type { BlobStore } from '../blobs/blob-store.js';
import { Downloads } from '../upstream/downloads.js';
import { phrased, UpstreamErrors } from '../upstream/errors.js';
import { SingleFlight } from '../upstream/single-flight.js';
import type { PypiUpstream } from './upstream-client.js';
import type { UpstreamFile } from './upstream-page.js';
import { METADATA_SUFFIX } from './file-urls.js';

/** A file whose bytes do not hash to the sha256 its index page declares. */
export const hashMismatch = phrased(UpstreamErrors.INTEGRITY,
  (filename: string, _url: string) => `upstream file ${filename} does not match the sha256 its index page declares; it was not cached`,
  (filename: string, url: string) => ({ filename, url }));

/** A stored blob (ranges and ETags possible), or the upstream body being stored. */
export type FetchedFile = { digest: string } | { body: Readable; size?: number };

export class UpstreamFiles {
  private readonly downloads = new Downloads();
  private readonly metadataFlights = new SingleFlight<string | undefined>();

  constructor(private readonly blobs: BlobStore) {}

  /** The digest of a cached copy, if the file is stored. */
  async cached(sha256: string): Promise<string | undefined> {
    const digest = `sha256:${sha256}`;
    return (await this.blobs.exists(digest)) ? digest : undefined;
  }

  /** Streams the file from `upstream` while storing it; undefined when the upstream lost it. */
  async open(file: UpstreamFile, upstream: PypiUpstream): Promise<FetchedFile | undefined> {
    const digest = `sha256:${file.sha256}`;
    const download = await this.downloads.join(digest, async () => {
      const reply = await upstream.file(file.url);
      if (!reply) return undefined;
      const length = Number(reply.headers['content-length']);
      const size = Number.isSafeInteger(length) && length >= 0 ? length : undefined;
      return {
        source: reply.body,
        size,
        // Checked on the way too, so a small lying file never reaches a client even in part.
        expected: { checksums: { sha256: file.sha256 }, mismatch: () => hashMismatch(file.filename, reply.url) },
        commit: (body) => this.blobs.write(body, { expected: { algorithm: 'sha256', hex: file.sha256 }, label: `upstream file ${file.filename}` }),
        openStored: async (start, end) => (await this.blobs.open(digest, { start, ...(end === undefined ? {} : { end }) })).body,
        failure: (cause) => upstream.client.failure(cause, reply.url),
      };
    });
    if (!download) return undefined;
    return { body: download.reader(), ...(download.size === undefined ? {} : { size: download.size }) };
  }

  /** The PEP 658 metadata of an upstream wheel, stored and verified before it is served. */
  async metadata(file: UpstreamFile, upstream: PypiUpstream): Promise<string | undefined> {
    const sha256 = file.coreMetadataSha256;
    if (!sha256) return undefined;
    return this.metadataFlights.run(sha256, async () => {
      const existing = await this.cached(sha256);
      if (existing) return existing;
      const reply = await upstream.file(`${file.url}${METADATA_SUFFIX}`);
      if (!reply) return undefined;
      try {
        return (await this.blobs.write(reply.body, { expected: { algorithm: 'sha256', hex: sha256 }, maxSize: 16 * 1024 * 1024, label: `upstream metadata of ${file.filename}` })).digest;
      } catch (error) {
        if (!isNoraError(error) || error.code !== 'DIGEST_MISMATCH') throw upstream.client.failure(error, reply.url);
        throw hashMismatch(`${file.filename}${METADATA_SUFFIX}`, reply.url);
      }
    });
  }
}
