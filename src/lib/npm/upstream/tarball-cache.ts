// Upstream tarballs cached as blobs on first download, addressed by the sha512 of the upstream's
// `integrity`, so a cached tarball is verified by construction and needs no index (old packages
// that declare only a sha1 `shasum` are checked against it and found again through a small
// document, repos/npm/<name>/sha1-<hex>.json, naming their blob). The download is the upstream
// kit's: one per tarball, every concurrent client streams it as it arrives, and each gets its
// last bytes only once they are verified, so a dying or lying upstream gives an error, never a
// complete wrong body.
import type { Readable } from 'node:stream';
import type { BlobStore } from '../../blobs/blob-store.js';
import { isNoraError } from '../../errors/nora-error.js';
import type { ObjectStore } from '../../storage/object-store.js';
import { readDocument, writeDocument } from '../../storage/documents.js';
import { Downloads, type DownloadPlan } from '../../upstream/downloads.js';
import { NpmErrors } from '../errors.js';
import { packagePrefix, type PackageName } from '../package-name.js';
import { upstreamIntegrity, type NpmUpstream } from './upstream-client.js';

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
  private readonly downloads = new Downloads();

  constructor(private readonly options: { store: ObjectStore; blobs: BlobStore; client: NpmUpstream }) {}

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
  async open(name: PackageName, url: string, check: TarballCheck, file: string): Promise<TarballStream> {
    const known = await this.cached(name, check);
    if (known) return this.fromBlob(known);
    const key = check.sha512 ? `sha512:${check.sha512}` : `sha1:${check.sha1}`;
    const flight = (await this.downloads.join(key, () => this.begin(name, url, check, file)))!;
    return { body: flight.reader(), cache: 'miss', ...(flight.size === undefined ? {} : { size: flight.size }) };
  }

  private async begin(name: PackageName, url: string, check: TarballCheck, file: string): Promise<DownloadPlan> {
    const { client, blobs, store } = this.options;
    const reply = await client.tarball(url);
    if (reply.status === 404) {
      reply.body.resume();
      throw NpmErrors.TARBALL_NOT_FOUND(url, file);
    }
    if (reply.status !== 200) throw client.client.unexpected(reply, `status ${reply.status} for ${file}`);
    const length = Number(reply.headers['content-length']);
    const size = Number.isSafeInteger(length) && length >= 0 ? length : undefined;
    let digest = check.sha512 ? `sha512:${check.sha512}` : undefined;
    return {
      source: reply.body,
      size,
      // A sha1-only package is checked on the way; a sha512 one by the blob store itself.
      expected: check.sha512 ? undefined : { checksums: { sha1: check.sha1! }, mismatch: () => upstreamIntegrity(client.base, file) },
      commit: async (body) => {
        const written = await blobs.write(body, {
          ...(check.sha512 ? { expected: { algorithm: 'sha512' as const, hex: check.sha512 } } : { algorithm: 'sha512' as const }),
          ...(size === undefined ? {} : { expectedSize: size }),
          label: `upstream tarball ${file}`,
        });
        digest = written.digest;
        if (!check.sha512) await writeDocument(store, sha1Key(name, check.sha1!), { digest: written.digest });
      },
      openStored: async (start, end) => (await blobs.open(digest!, { start, ...(end === undefined ? {} : { end }) })).body,
      failure: (cause) => (isNoraError(cause) && cause.code === 'DIGEST_MISMATCH' ? upstreamIntegrity(client.base, file) : client.client.failure(cause, reply.url)),
    };
  }
}
