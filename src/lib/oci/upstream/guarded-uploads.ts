// Upload sessions that refuse to open on names served from an upstream (unless it allows
// pushes), so a refused push fails before its first byte is sent.
import type { ObjectStore } from '../../storage/object-store.js';
import type { UploadHashes } from '../upload-hashes.js';
import { UploadStore, type UploadState } from '../upload-store.js';
import type { UpstreamResolver } from './upstream-resolver.js';

export class GuardedUploadStore extends UploadStore {
  constructor(store: ObjectStore, ttlMs: number, private readonly resolver: UpstreamResolver, now?: () => number, hashes?: UploadHashes) {
    super(store, ttlMs, now, hashes);
  }

  override async start(name: string): Promise<UploadState> {
    await this.resolver.assertPushable(name);
    return super.start(name);
  }
}
