// INTERIM (issue 14, phase 1): Maven, Cargo and PyPI behind the format service contract through
// their existing gc-references functions, until each format ships its own service (then this
// file goes). It keeps today's behaviour but publishes the ArtifactDeleted event the admin
// delete lacked. Listing reads every version of the format, so it is not meant for large stores.
import type { ObjectStore } from '../storage/object-store.js';
import type { DocumentFilter } from '../blobs/digest-scan.js';
import type { EventBus } from '../events/bus.js';
import { combine, type PullTracker } from '../pulls/pull-tracker.js';
import type { ArtifactDetail, FormatName, FormatService, ListNamesOptions, MutationContext, NamePage, Usage, VersionInfo } from './format-service.js';
import { pageNames } from './page-names.js';

export interface LegacyFormat {
  format: Exclude<FormatName, 'oci' | 'npm'>;
  refs: (store: ObjectStore, filter?: DocumentFilter) => AsyncIterable<string>;
  list: (store: ObjectStore) => AsyncIterable<{ name: string; version: string; digest: string; size: number; pushed: string }>;
  deleteVersion: (store: ObjectStore, name: string, version: string) => Promise<boolean>;
  accessName: (name: string) => string;
}

export class LegacyFormatService implements FormatService {
  readonly format: LegacyFormat['format'];

  constructor(private readonly legacy: LegacyFormat, private readonly store: ObjectStore, private readonly events: EventBus, private readonly pulls: PullTracker) {
    this.format = legacy.format;
  }

  accessName(name: string): string {
    return this.legacy.accessName(name);
  }

  async listNames(options: ListNamesOptions = {}): Promise<NamePage> {
    const names: string[] = [];
    for await (const item of this.legacy.list(this.store)) names.push(item.name);
    return pageNames(names, options, (n) => this.accessName(n));
  }

  async listVersions(name: string): Promise<VersionInfo[]> {
    const pulls = await this.pulls.read(this.format, name);
    const out: VersionInfo[] = [];
    for await (const item of this.legacy.list(this.store)) if (item.name === name) out.push({ ...item, ...combine(pulls, [item.version]) });
    return out;
  }

  async read(name: string, reference: string): Promise<ArtifactDetail | undefined> {
    const found = (await this.listVersions(name)).find((v) => v.version === reference);
    return found && { ...found, blobs: found.digest ? [{ digest: found.digest, size: found.size }] : [], metadata: {} };
  }

  async delete(name: string, reference: string, context: MutationContext = {}): Promise<boolean> {
    if (!(await this.legacy.deleteVersion(this.store, name, reference))) return false;
    this.events.publish({ type: 'ArtifactDeleted', artifact: { format: this.format, name, reference }, ...(context.actor ? { actor: context.actor } : {}) });
    return true;
  }

  referencedBlobs(filter: DocumentFilter = {}): AsyncIterable<string> {
    return this.legacy.refs(this.store, filter);
  }

  async usage(): Promise<Usage> {
    const names = new Set<string>();
    let versions = 0;
    let bytes = 0;
    for await (const item of this.legacy.list(this.store)) {
      names.add(item.name);
      versions++;
      bytes += item.size;
    }
    return { bytes, names: names.size, versions };
  }
}
