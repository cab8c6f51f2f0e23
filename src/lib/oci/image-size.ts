// What an image weighs: the sum of its config and layers (what a pull downloads), and for an
// index the sum of its children's distinct blobs, with each platform's own size. Read from the
// descriptors inside the stored manifest bytes, so no layer is touched; manifests are immutable,
// so the answer is memoized by digest. A child not stored (a pull-through cache fetches it on
// demand) counts for its manifest's bytes only.
import type { BlobStore } from '../blobs/blob-store.js';
import { collect } from '../storage/body.js';
import type { PlatformSize } from '../formats/format-service.js';

export interface ImageParts {
  /** Config + layers (an index: its children's distinct config and layer blobs). */
  size: number;
  /** Every blob of the image, manifests included, each once. */
  blobs: { digest: string; size: number }[];
  platforms?: PlatformSize[];
  manifest?: Record<string, unknown>;
}

interface Desc { digest?: unknown; size?: unknown; platform?: { os?: unknown; architecture?: unknown; variant?: unknown } }

const isDesc = (d: unknown): d is Desc & { digest: string; size: number } =>
  typeof d === 'object' && d !== null && typeof (d as Desc).digest === 'string' && typeof (d as Desc).size === 'number';

const platformOf = (d: Desc) => [d.platform?.os, d.platform?.architecture, d.platform?.variant].filter((p) => typeof p === 'string' && p).join('/') || 'unknown';

export class ImageSizes {
  private readonly memo = new Map<string, ImageParts>();

  constructor(private readonly blobs: BlobStore) {}

  /** The parts of the manifest `digest` (`bytes` of `size` when the manifest blob is not stored). */
  async of(digest: string, manifestSize: number): Promise<ImageParts> {
    const known = this.memo.get(digest);
    if (known) return known;
    let doc: Record<string, unknown>;
    try {
      doc = JSON.parse((await collect((await this.blobs.open(digest)).body)).toString('utf8')) as Record<string, unknown>;
    } catch {
      return { size: 0, blobs: [{ digest, size: manifestSize }] };
    }
    const parts = Array.isArray(doc.manifests) ? await this.index(digest, manifestSize, doc.manifests) : image(digest, manifestSize, doc);
    if (this.memo.size >= 10_000) this.memo.delete(this.memo.keys().next().value!);
    this.memo.set(digest, { ...parts, manifest: doc });
    return { ...parts, manifest: doc };
  }

  /** The parts of a manifest not stored yet (a push being admitted), from its bytes; not memoized. */
  async ofBytes(digest: string, bytes: Buffer): Promise<ImageParts> {
    let doc: Record<string, unknown>;
    try {
      doc = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
    } catch {
      return { size: 0, blobs: [{ digest, size: bytes.length }] };
    }
    return Array.isArray(doc.manifests) ? this.index(digest, bytes.length, doc.manifests) : image(digest, bytes.length, doc);
  }

  private async index(digest: string, manifestSize: number, children: unknown[]): Promise<ImageParts> {
    const blobs = new Map<string, number>([[digest, manifestSize]]);
    const platforms: PlatformSize[] = [];
    let size = 0;
    for (const child of children.filter(isDesc)) {
      const parts = await this.of(child.digest, child.size);
      platforms.push({ platform: platformOf(child), digest: child.digest, size: parts.size });
      for (const blob of parts.blobs) {
        if (blobs.has(blob.digest)) continue;
        blobs.set(blob.digest, blob.size);
        if (blob.digest !== child.digest) size += blob.size;
      }
    }
    return { size, blobs: [...blobs].map(([d, s]) => ({ digest: d, size: s })), platforms };
  }
}

function image(digest: string, manifestSize: number, doc: Record<string, unknown>): ImageParts {
  const parts = [doc.config, ...(Array.isArray(doc.layers) ? doc.layers : [])].filter(isDesc);
  const blobs = new Map<string, number>([[digest, manifestSize]]);
  for (const part of parts) blobs.set(part.digest, part.size);
  const size = [...blobs].filter(([d]) => d !== digest).reduce((sum, [, s]) => sum + s, 0);
  return { size, blobs: [...blobs].map(([d, s]) => ({ digest: d, size: s })) };
}
