// This store as a replication side, through the OCI format service's local (undecorated)
// registry: every write is a normal push (verified blob write, manifest push with its tag), so
// it publishes its events, the audit log records it as actor "replicate", and a blob whose bytes
// do not match its digest is never made visible. Names carry the location's prefix.
import type { Readable } from 'node:stream';
import { isNoraError } from '../../errors/nora-error.js';
import type { OciService } from '../../oci/oci-service.js';
import { parseReference } from '../../oci/names.js';
import type { FetchedManifest, OciEndpoint } from './endpoint.js';
import { ReplicateErrors } from './errors.js';

const ACTOR = 'replicate';

export class LocalEndpoint implements OciEndpoint {
  readonly label = 'local';

  constructor(private readonly oci: OciService) {}

  private get local() {
    return this.oci.registry.local;
  }

  async repositories(): Promise<string[]> {
    return this.local.catalog.names();
  }

  async tags(repo: string): Promise<string[]> {
    return (await this.local.tags.entries(repo)).map((e) => e.tag);
  }

  async manifest(repo: string, reference: string): Promise<FetchedManifest | undefined> {
    const record = await this.resolve(repo, reference);
    if (!record) return undefined;
    return { bytes: await this.local.manifests.read(record), mediaType: record.mediaType, digest: record.digest };
  }

  async manifestDigest(repo: string, reference: string): Promise<string | undefined> {
    return (await this.resolve(repo, reference))?.digest;
  }

  async referrers(repo: string, digest: string): Promise<string[]> {
    return (await this.oci.registry.referrers.index(repo, digest)).manifests.map((m) => m.digest);
  }

  async hasBlob(repo: string, digest: string): Promise<boolean> {
    return this.local.blobs.stat(repo, digest).then(() => true, (error: unknown) => {
      if (isNoraError(error) && error.code === 'BLOB_UNKNOWN') return false;
      throw error;
    });
  }

  async openBlob(repo: string, digest: string): Promise<Readable> {
    try {
      return (await this.local.blobs.open(repo, digest)).body;
    } catch (error) {
      if (isNoraError(error) && error.code === 'BLOB_UNKNOWN') throw ReplicateErrors.SOURCE_MISSING(`blob ${digest} of ${repo}`);
      throw error;
    }
  }

  async mountBlob(repo: string, from: string, digest: string): Promise<boolean> {
    return (await this.local.blobs.mount(repo, from, digest, ACTOR)) !== undefined;
  }

  async putBlob(repo: string, digest: string, size: number, body: Readable): Promise<void> {
    await this.local.blobs.write(repo, body, digest, size, ACTOR);
  }

  async putManifest(repo: string, reference: string, manifest: FetchedManifest): Promise<void> {
    await this.local.manifests.push(repo, parseReference(reference), manifest.bytes, manifest.mediaType, ACTOR);
  }

  async close(): Promise<void> {
    // The services belong to the caller, which closes them.
  }

  private async resolve(repo: string, reference: string) {
    try {
      return await this.local.manifests.resolve(repo, parseReference(reference));
    } catch (error) {
      if (isNoraError(error) && (error.code === 'MANIFEST_UNKNOWN' || error.code === 'NAME_UNKNOWN')) return undefined;
      throw error;
    }
  }
}
