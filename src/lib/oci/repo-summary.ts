// One document per repository with its tags and manifests (repos/oci/<name>/_summary), so a
// listing of the repository (retention, the UI) is one read instead of one per tag, per manifest
// record and per manifest blob. The tag documents and manifest records stay the truth:
//  - every writer, after its own write, updates the summary by compare-and-swap, reading the
//    truth of what it changed inside the swap; so whichever summary write lands last read the
//    truth after the last truth write, and the summary ends equal to the truth;
//  - writers leave an absent summary alone (they cannot know the rest of the repository): the
//    first listing builds it (build()), after putting a "building" placeholder that writers do
//    update, so a write during the build changes the etag and the build re-reads everything.
// A crash between a truth write and its summary update leaves the summary one change behind
// until the next write of that tag or manifest; the retention executor re-checks a tag against
// its tag document before deleting it.
import type { BlobStore } from '../blobs/blob-store.js';
import { collect } from '../storage/body.js';
import { readDocument, updateDocument } from '../storage/documents.js';
import { isStorageError } from '../storage/errors.js';
import { listAll, type ObjectInfo, type ObjectStore } from '../storage/object-store.js';
import { layout } from './layout.js';
import type { ManifestRecord } from './manifest-store.js';

export interface SummaryTag { digest: string; pushed: string }

export interface SummaryManifest {
  mediaType: string;
  size: number;
  subject?: string;
  /** When the record was written (the push time of the manifest). */
  pushed: string;
  /** An index's child manifests. */
  children: string[];
  /** An image manifest's blobs, itself included (an index: absent, ImageSizes adds its children's). */
  blobs?: { digest: string; size: number }[];
}

export interface RepoSummary {
  v: 1;
  /** A placeholder while the first listing builds the summary. */
  building?: true;
  tags: Record<string, SummaryTag>;
  manifests: Record<string, SummaryManifest>;
}

interface TagRecord { digest: string; pushed?: string }

const PLACEHOLDER: RepoSummary = { v: 1, building: true, tags: {}, manifests: {} };
/** Manifest blobs larger than this are not parsed for the summary (ImageSizes reads them). */
const PARSE_LIMIT = 4 * 1024 * 1024;

interface Desc { digest?: unknown; size?: unknown }
const isDesc = (d: unknown): d is { digest: string; size: number } =>
  typeof d === 'object' && d !== null && typeof (d as Desc).digest === 'string' && typeof (d as Desc).size === 'number';

export class RepoSummaries {
  constructor(private readonly store: ObjectStore, private readonly blobs: BlobStore) {}

  /** The repository's summary, built from the truth when it has none yet. */
  async read(name: string): Promise<RepoSummary> {
    const found = (await readDocument<RepoSummary>(this.store, layout.summary(name)))?.value;
    if (found && !found.building && found.v === 1) return found;
    return this.build(name);
  }

  /** After `tag` was set or deleted: the summary takes what its tag document now says. */
  async tagChanged(name: string, tag: string): Promise<void> {
    await this.changed(name, { tag });
  }

  /** After the record of `digest` was written or deleted: the summary follows the record. */
  async manifestChanged(name: string, digest: string): Promise<void> {
    await this.changed(name, { manifest: digest });
  }

  /**
   * After a manifest record and/or a tag was written or deleted: one compare-and-swap takes both
   * (a tagged push reads and writes the summary once, not once per truth it wrote).
   */
  async changed(name: string, what: { manifest?: string; tag?: string }): Promise<void> {
    await this.update(name, async (summary) => {
      const manifest = what.manifest === undefined ? false : await this.takeManifest(summary, name, what.manifest);
      const tag = what.tag === undefined ? false : await this.takeTag(summary, name, what.tag);
      return manifest || tag;
    });
  }

  private async takeTag(summary: RepoSummary, name: string, tag: string): Promise<boolean> {
    const record = (await readDocument<TagRecord>(this.store, layout.tag(name, tag)))?.value;
    const current = summary.tags[tag];
    if (!record) {
      if (!current) return false;
      delete summary.tags[tag];
      return true;
    }
    const pushed = record.pushed ?? (await this.store.stat(layout.tag(name, tag)))?.modified.toISOString() ?? new Date(0).toISOString();
    if (current?.digest === record.digest && current.pushed === pushed) return false;
    summary.tags[tag] = { digest: record.digest, pushed };
    return true;
  }

  private async takeManifest(summary: RepoSummary, name: string, digest: string): Promise<boolean> {
    const info = await this.store.stat(layout.manifest(name, digest));
    const current = summary.manifests[digest];
    if (!info) {
      if (!current) return false;
      delete summary.manifests[digest];
      return true;
    }
    if (current) return false;
    const entry = await this.entry(name, digest, info);
    if (!entry) return false;
    summary.manifests[digest] = entry;
    return true;
  }

  /** Applies `change` (true: it changed the summary) to an existing summary, by compare-and-swap. */
  private async update(name: string, change: (summary: RepoSummary) => Promise<boolean>): Promise<void> {
    await updateDocument<RepoSummary>(this.store, layout.summary(name), async (current) => {
      if (!current) return undefined;
      const copy: RepoSummary = { ...current, tags: { ...current.tags }, manifests: { ...current.manifests } };
      return (await change(copy)) ? copy : undefined;
    });
  }

  /**
   * Reads the truth and stores it as the summary, unless a complete one appeared meanwhile. A
   * build that keeps losing to writers answers its own reading without storing it.
   */
  private async build(name: string): Promise<RepoSummary> {
    try {
      await this.store.put(layout.summary(name), Buffer.from(JSON.stringify(PLACEHOLDER)), { ifNoneMatch: '*' });
    } catch (error) {
      if (!isStorageError(error, 'PRECONDITION_FAILED')) throw error;
    }
    let scanned: RepoSummary | undefined;
    try {
      const stored = await updateDocument<RepoSummary>(this.store, layout.summary(name), async (current) => {
        if (current && !current.building) return undefined;
        // Absent: deleted meanwhile (the repository went); answer the scan without storing it.
        scanned = await this.scan(name);
        return current ? scanned : undefined;
      }, { attempts: 5 });
      return stored && !stored.building ? stored : scanned ?? (await this.scan(name));
    } catch (error) {
      if (scanned) return scanned;
      throw error;
    }
  }

  /** The summary as the tag documents and manifest records say now. */
  private async scan(name: string): Promise<RepoSummary> {
    const summary: RepoSummary = { v: 1, tags: {}, manifests: {} };
    const tagPrefix = layout.tags(name);
    const tagInfos: ObjectInfo[] = [];
    for await (const info of listAll(this.store, tagPrefix)) tagInfos.push(info);
    const manifestInfos: ObjectInfo[] = [];
    for await (const info of listAll(this.store, layout.manifests(name))) manifestInfos.push(info);
    // A few reads at a time: a repository may hold thousands of tags and manifests.
    for (let i = 0; i < tagInfos.length; i += 16) {
      const batch = tagInfos.slice(i, i + 16);
      const records = await Promise.all(batch.map(async (info) => (await readDocument<TagRecord>(this.store, info.key))?.value));
      records.forEach((record, j) => {
        if (record) summary.tags[batch[j]!.key.slice(tagPrefix.length)] = { digest: record.digest, pushed: record.pushed ?? batch[j]!.modified.toISOString() };
      });
    }
    for (let i = 0; i < manifestInfos.length; i += 16) {
      const batch = manifestInfos.slice(i, i + 16);
      const entries = await Promise.all(batch.map(async (info) => {
        const digest = info.key.slice(layout.manifests(name).length).replace('/', ':');
        return [digest, await this.entry(name, digest, info)] as const;
      }));
      for (const [digest, entry] of entries) if (entry) summary.manifests[digest] = entry;
    }
    return summary;
  }

  /** The summary entry of a stored record (`info` is the record's), from the record and the manifest bytes. */
  private async entry(name: string, digest: string, info: ObjectInfo): Promise<SummaryManifest | undefined> {
    const record = (await readDocument<ManifestRecord>(this.store, layout.manifest(name, digest)))?.value;
    if (!record) return undefined;
    const entry: SummaryManifest = { mediaType: record.mediaType, size: record.size, pushed: info.modified.toISOString(), children: [], ...(record.subject ? { subject: record.subject } : {}) };
    const doc = await this.manifestDocument(digest);
    if (!doc) return { ...entry, blobs: [{ digest, size: record.size }] };
    if (Array.isArray(doc.manifests)) return { ...entry, children: doc.manifests.filter(isDesc).map((d) => d.digest) };
    const blobs = new Map<string, number>([[digest, record.size]]);
    for (const part of [doc.config, ...(Array.isArray(doc.layers) ? doc.layers : [])]) if (isDesc(part)) blobs.set(part.digest, part.size);
    return { ...entry, blobs: [...blobs].map(([d, size]) => ({ digest: d, size })) };
  }

  private async manifestDocument(digest: string): Promise<Record<string, unknown> | undefined> {
    try {
      const opened = await this.blobs.open(digest);
      if (opened.info.size > PARSE_LIMIT) {
        opened.body.destroy();
        return undefined;
      }
      const doc: unknown = JSON.parse((await collect(opened.body)).toString('utf8'));
      return typeof doc === 'object' && doc !== null ? doc as Record<string, unknown> : undefined;
    } catch {
      return undefined;
    }
  }
}
