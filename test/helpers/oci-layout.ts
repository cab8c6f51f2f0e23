// Writes OCI image layouts (blobs + index.json + oci-layout) without a container daemon, for
// driving real clients (skopeo) with images of known digests.
// https://github.com/opencontainers/image-spec/blob/main/image-layout.md
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  platform?: { architecture: string; os: string };
  annotations?: Record<string, string>;
}

export const sha256 = (bytes: Buffer | string): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

export class OciLayout {
  private readonly refs: Descriptor[] = [];

  constructor(readonly dir: string) {}

  blobPath(digest: string): string {
    const [alg, hex] = digest.split(':');
    return path.join(this.dir, 'blobs', alg!, hex!);
  }

  async addBlob(bytes: Buffer, mediaType: string): Promise<Descriptor> {
    const digest = sha256(bytes);
    await mkdir(path.dirname(this.blobPath(digest)), { recursive: true });
    await writeFile(this.blobPath(digest), bytes);
    return { mediaType, digest, size: bytes.length };
  }

  /** A blob of `size` random bytes, written in 1 MiB pieces (never held whole in memory). */
  async addRandomBlob(size: number, mediaType: string): Promise<Descriptor> {
    await mkdir(path.join(this.dir, 'blobs', 'sha256'), { recursive: true });
    const temp = path.join(this.dir, 'blobs', 'sha256', `tmp-${process.pid}`);
    const hash = createHash('sha256');
    const out = createWriteStream(temp);
    for (let left = size; left > 0; left -= 1 << 20) {
      const piece = randomBytes(Math.min(left, 1 << 20));
      hash.update(piece);
      if (!out.write(piece)) await new Promise<void>((r) => out.once('drain', () => r()));
    }
    await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
    const digest = `sha256:${hash.digest('hex')}`;
    await rename(temp, this.blobPath(digest));
    return { mediaType, digest, size };
  }

  async addJson(value: unknown, mediaType: string): Promise<Descriptor> {
    return this.addBlob(Buffer.from(JSON.stringify(value)), mediaType);
  }

  /** An OCI image manifest over `layers` with a small config; returns its descriptor. */
  async addImage(layers: Descriptor[], options: { platform?: { architecture: string; os: string }; subject?: Descriptor; artifactType?: string; configMediaType?: string } = {}): Promise<Descriptor> {
    const platform = options.platform ?? { architecture: 'amd64', os: 'linux' };
    const config = options.configMediaType
      ? await this.addBlob(Buffer.from('{}'), options.configMediaType)
      : await this.addJson({ ...platform, config: {}, rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) } }, 'application/vnd.oci.image.config.v1+json');
    const manifest = {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      ...(options.artifactType ? { artifactType: options.artifactType } : {}),
      config, layers,
      ...(options.subject ? { subject: options.subject } : {}),
    };
    return this.addJson(manifest, manifest.mediaType);
  }

  async addIndex(manifests: Descriptor[]): Promise<Descriptor> {
    return this.addJson({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests }, 'application/vnd.oci.image.index.v1+json');
  }

  /** Names `descriptor` as `ref` in index.json and (re)writes index.json and oci-layout. */
  async tag(ref: string, descriptor: Descriptor): Promise<void> {
    this.refs.push({ ...descriptor, annotations: { 'org.opencontainers.image.ref.name': ref } });
    await writeFile(path.join(this.dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
    await writeFile(path.join(this.dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: this.refs }));
  }

  async read(digest: string): Promise<Buffer> {
    return readFile(this.blobPath(digest));
  }
}

/** The descriptor index.json of a layout names `ref` with. */
export async function refOf(dir: string, ref: string): Promise<Descriptor | undefined> {
  const index = JSON.parse(await readFile(path.join(dir, 'index.json'), 'utf8')) as { manifests: Descriptor[] };
  return index.manifests.find((m) => m.annotations?.['org.opencontainers.image.ref.name'] === ref);
}
