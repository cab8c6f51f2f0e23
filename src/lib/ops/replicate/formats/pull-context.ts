// What pulling one package format from a remote NORA into this store needs: the local format
// services (whose publish paths every copy goes through), the remote, the versions its listing
// shows, and the run's switches. Each puller answers per version like a pusher (pusher.ts).
import type { BlobStore } from '../../../blobs/blob-store.js';
import type { NoraConfig } from '../../../config/schema.js';
import type { Formats } from '../../../formats/create-formats.js';
import type { RemoteVersion } from './remote-listing.js';
import type { RemoteNora } from './remote-nora.js';

export interface PullContext {
  formats: Formats;
  blobs: BlobStore;
  config: NoraConfig;
  remote: RemoteNora;
  /** The remote's listed versions of a name (its /api/artifacts listing), [] when it lists none. */
  listed: (name: string) => RemoteVersion[];
  dryRun: boolean;
  retry: <T>(what: string, step: () => Promise<T>) => Promise<T>;
  /** True for versions to copy (--tags, --semver). */
  keep: (version: string) => boolean;
  /** Who the local publishes are by: `replication:<rule>`, or `replicate` from the CLI. */
  actor: string;
}

/** The listed versions worth copying, oldest first (as they were published there). */
export function oldestFirst(c: PullContext, name: string): RemoteVersion[] {
  return c.listed(name).filter((v) => c.keep(v.version)).sort((a, b) => (a.pushed ?? '').localeCompare(b.pushed ?? ''));
}
