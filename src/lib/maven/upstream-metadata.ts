// maven-metadata.xml of coordinates that are not deployed locally, from the upstreams: cached
// for [maven] metadata_ttl, merged when several upstreams know the artifact (versions united),
// served stale when every upstream is unreachable, and remembered as missing for negative_ttl.
import { readDocument, writeDocument } from '../storage/documents.js';
import { SingleFlight } from '../upstream/single-flight.js';
import type { MavenContext } from './context.js';
import type { GeneratedMetadata } from './local-metadata.js';
import { readVersionList, renderArtifactMetadata } from './metadata-xml.js';
import type { NegativeCache } from './negative-cache.js';
import { unreachable, upstreamUnavailable, type MavenUpstreams } from './upstream-client.js';

interface CachedMetadata {
  xml: string;
  /** ISO time of the upstream fetch. */
  fetched: string;
}

const metadataKey = (dir: string[]) => `repos/maven/cache/${dir.join('/')}/@metadata.json`;

/** One document from the upstreams' answers: the only one verbatim, several merged by version. */
export function mergeMetadata(texts: string[]): string {
  if (texts.length === 1) return texts[0]!;
  const lists = texts.map(readVersionList);
  const first = lists.find((l) => l.groupId && l.artifactId);
  if (!first || lists.every((l) => l.versions.length === 0)) return texts[0]!;
  return renderArtifactMetadata({
    groupId: first.groupId!, artifactId: first.artifactId!,
    versions: lists.flatMap((l) => l.versions),
    lastUpdated: lists.map((l) => l.lastUpdated ?? '').sort().at(-1) || '19700101000000',
  });
}

export class UpstreamMetadata {
  private readonly flights = new SingleFlight<GeneratedMetadata | undefined>();

  /** `ttlMs`: how long a cached copy is served before the upstreams are asked again. */
  constructor(private readonly ctx: MavenContext, private readonly upstreams: MavenUpstreams, private readonly negative: NegativeCache,
    private readonly ttlMs: number, private readonly now: () => number = Date.now) {}

  /** The metadata of directory `dir`, or undefined when no upstream has it. */
  async get(dir: string[]): Promise<GeneratedMetadata | undefined> {
    const path = `${dir.join('/')}/maven-metadata.xml`;
    const cached = (await readDocument<CachedMetadata>(this.ctx.store, metadataKey(dir)))?.value;
    if (cached && this.now() - Date.parse(cached.fetched) < this.ttlMs) {
      this.upstreams.cache?.record(this.upstreams.mergedName, 'metadata', 'hit');
      return { xml: cached.xml, modified: new Date(cached.fetched) };
    }
    if (this.negative.has(path)) return undefined;
    return this.flights.run(path, () => this.refresh(dir, path, cached));
  }

  private async refresh(dir: string[], path: string, stale: CachedMetadata | undefined): Promise<GeneratedMetadata | undefined> {
    const answers = await Promise.all(this.upstreams.clients.map((client) => this.upstreams.text(client, path)));
    const texts = answers.flatMap((a) => (a.status === 'found' ? [a.text] : []));
    if (texts.length === 0) {
      const failed = answers.flatMap((a) => (a.status === 'unreachable' ? [a] : []));
      if (failed.length === 0) {
        this.negative.add(path);
        return undefined;
      }
      if (stale) {
        this.upstreams.cache?.record(this.upstreams.mergedName, 'metadata', 'stale');
        return { xml: stale.xml, modified: new Date(stale.fetched) };
      }
      throw upstreamUnavailable(path, unreachable(failed), this.upstreams.bases);
    }
    const value: CachedMetadata = { xml: mergeMetadata(texts), fetched: new Date(this.now()).toISOString() };
    await writeDocument(this.ctx.store, metadataKey(dir), value);
    this.upstreams.cache?.record(this.upstreams.mergedName, 'metadata', 'miss');
    return { xml: value.xml, modified: new Date(value.fetched) };
  }
}
