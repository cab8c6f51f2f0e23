// Upstream tarballs cached as blobs on first download, addressed by the sha512 of the upstream's
// `integrity`, so a cached tarball is verified by construction and needs no index. The first
// request streams the upstream bytes to its client while they are stored (a tee); its last chunk
// waits for the verdict, so a dying or lying upstream gives the client an error, never a complete
// wrong body. Concurrent requests for one tarball wait for that single fetch and then read the blob.
import { PassThrough, type Readable } from 'node:stream';
import type { BlobStore, WrittenBlob } from '../../blobs/blob-store.js';
import { isNoraError } from '../../errors/nora-error.js';
import { NpmErrors } from '../errors.js';
import { HoldLast } from './hold-last.js';
import { SingleFlight } from './single-flight.js';
import type { UpstreamClient } from './upstream-client.js';

export interface TarballStream {
  size?: number;
  body: Readable;
  /** 'hit': from the blob store; 'miss': fetched from the upstream now. */
  cache: 'hit' | 'miss';
}

export class TarballCache {
  private readonly flights = new SingleFlight<WrittenBlob>();

  constructor(private readonly options: { blobs: BlobStore; client: UpstreamClient }) {}

  private async fromBlob(hex: string): Promise<TarballStream> {
    const { info, body } = await this.options.blobs.open({ algorithm: 'sha512', hex });
    return { size: info.size, body, cache: 'hit' };
  }

  /** The tarball at `url` whose sha512 is `hex`; `file` names it in errors. */
  async open(url: string, hex: string, file: string): Promise<TarballStream> {
    if (await this.options.blobs.exists({ algorithm: 'sha512', hex })) return this.fromBlob(hex);
    const flight = this.flights.get(hex);
    if (flight) {
      await flight;
      return this.fromBlob(hex);
    }
    let first!: TarballStream;
    let started!: () => void;
    const ready = new Promise<void>((resolve) => { started = resolve; });
    const stored = this.flights.run(hex, async () => {
      try {
        const { stored: written, stream } = await this.fetch(url, hex, file);
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

  private async fetch(url: string, hex: string, file: string): Promise<{ stored: Promise<WrittenBlob>; stream: TarballStream }> {
    const { client, blobs } = this.options;
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
    const stored = blobs.write(toStore, {
      expected: { algorithm: 'sha512', hex },
      ...(upstream.size === undefined ? {} : { expectedSize: upstream.size }),
      extraHashes: ['sha1'],
      label: `upstream tarball ${file}`,
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
