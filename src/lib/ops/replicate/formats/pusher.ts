// What pushing one package format to a remote NORA needs, and what it reports per version. Each
// format's pusher reads through that format's local service (formats/format-service.ts) and the
// blob store, and writes through the remote's own protocol, as its stock client would.
import type { BlobStore } from '../../../blobs/blob-store.js';
import type { FormatService } from '../../../formats/format-service.js';
import type { RemoteNora } from './remote-nora.js';

export interface PushContext {
  service: FormatService;
  blobs: BlobStore;
  remote: RemoteNora;
  dryRun: boolean;
  retry: <T>(what: string, step: () => Promise<T>) => Promise<T>;
  /** True for versions to copy (--tags, --semver). */
  keep: (version: string) => boolean;
}

export interface VersionOutcome {
  version: string;
  status: 'copied' | 'skipped' | 'would-copy' | 'failed';
  /** Bytes sent (dry run: that would be sent). */
  bytes: number;
  reason?: string;
  /** Tag, yank and deprecation changes made (or that would be). */
  updates?: string[];
}

export interface FormatPusher {
  /** Copies every version of `name` the remote lacks and aligns tags, yanks, deprecations. */
  push(name: string): Promise<VersionOutcome[]>;
}

/** Runs `step` for one version, turning a failure into its outcome. */
export async function outcome(version: string, step: () => Promise<VersionOutcome>): Promise<VersionOutcome> {
  try {
    return await step();
  } catch (error) {
    return { version, status: 'failed', bytes: 0, reason: (error as Error).message };
  }
}
