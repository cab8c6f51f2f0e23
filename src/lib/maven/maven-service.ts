// Maven behind the format service contract (formats/format-service.ts), built once by the
// composition root and handed to the /maven2/ plugin, the management API and ops. Names are
// "groupId:artifactId"; access names, events, audit lines and pull records use the path form
// ("org/example/lib"), which lookups accept too. Versions are the locally deployed ones (cached
// upstream files are a cache, not artifacts, but their blobs count in usage and gc). Every
// mutation goes through here and publishes one event: a deployed file one ArtifactPushed, a
// deleted version one ArtifactDeleted.
import { weighVersions } from '../formats/weigh-versions.js';
import type { Readable } from 'node:stream';
import { digestsInDocuments, type DocumentFilter } from '../blobs/digest-scan.js';
import type { ArtifactDetail, BuildInfo, CachedItem, FormatService, ListNamesOptions, MutationContext, NamePage, NameWeight, Usage, VersionInfo } from '../formats/format-service.js';
import { pageNames } from '../formats/page-names.js';
import type { PullTracker } from '../pulls/pull-tracker.js';
import { own, readArtifact, type StoredFile } from './artifact-document.js';
import { artifactName, mavenName, parseMavenName, type ArtifactCoordinate, type ChecksumAlgorithm } from './coordinates.js';
import type { MavenContext } from './context.js';
import { deleteVersion, type DeletedVersion } from './delete-version.js';
import { deployChecksum, deployFile, type DeployOptions, type FileTarget } from './deploy.js';
import { recordPlugins } from './group-metadata.js';
import { cachedFiles, listDirectory, listMavenArtifacts, localArtifacts, type DirectoryEntry } from './listing.js';
import { deployedVersions } from './metadata-xml.js';
import { MavenRepository, type MavenApi } from './repository.js';
import { versionDetail, versionInfo } from './version-info.js';
import { compareVersions } from './versions.js';
import { deleteBuild, snapshotBuilds } from './snapshot-builds.js';
import { cachedVersions, evictCachedVersion } from './cache-eviction.js';

export class MavenService implements FormatService {
  readonly format = 'maven' as const;
  /** What clients read: local deploys, else (decorated by the pull-through) the upstream cache. */
  readonly repository: MavenApi;

  constructor(private readonly ctx: MavenContext, private readonly pulls: PullTracker, decorate?: (local: MavenApi) => MavenApi) {
    const local = new MavenRepository(ctx);
    this.repository = decorate ? decorate(local) : local;
  }

  /** "org.example:lib" -> "org/example/lib" (also for a malformed name: it finds nothing anyway). */
  accessName(name: string): string {
    const artifact = parseMavenName(name);
    if (artifact) return artifactName(artifact);
    const [group = '', id = ''] = name.split(':');
    return `${group.replaceAll('.', '/')}/${id}`;
  }

  async listNames(options: ListNamesOptions = {}): Promise<NamePage> {
    const names: string[] = [];
    for await (const artifact of listMavenArtifacts(this.ctx.store)) names.push(`${artifact.groupId}:${artifact.artifactId}`);
    return pageNames(names, options, (n) => this.accessName(n));
  }

  /** Deployed versions in Maven order. */
  async listVersions(name: string): Promise<VersionInfo[]> {
    const artifact = parseMavenName(name);
    const doc = artifact && (await readArtifact(this.ctx.store, artifact));
    if (!artifact || !doc) return [];
    const pulls = await this.pulls.read('maven', artifactName(artifact));
    return deployedVersions(doc).sort(compareVersions).flatMap((version) => versionInfo(mavenName(artifact), doc.artifactId, version, doc.versions[version]!, pulls) ?? []);
  }

  async read(name: string, reference: string): Promise<ArtifactDetail | undefined> {
    const artifact = parseMavenName(name);
    const doc = artifact && (await readArtifact(this.ctx.store, artifact));
    const entry = own(doc?.versions, reference);
    if (!artifact || !doc || !entry) return undefined;
    const info = versionInfo(mavenName(artifact), doc.artifactId, reference, entry, await this.pulls.read('maven', artifactName(artifact)));
    return info && versionDetail(info, doc.groupId, doc.artifactId, entry);
  }

  /** A release or a SNAPSHOT version, with every file (see delete-version.ts). */
  async delete(name: string, reference: string, context: MutationContext = {}): Promise<boolean> {
    const artifact = parseMavenName(name);
    return artifact !== undefined && (await this.deleteVersion(artifact, reference, context)) !== undefined;
  }

  async listBuilds(name: string, version: string): Promise<BuildInfo[]> {
    const artifact = parseMavenName(name);
    const doc = artifact && (await readArtifact(this.ctx.store, artifact));
    const entry = own(doc?.versions, version);
    if (!artifact || !doc || !entry) return [];
    return snapshotBuilds(doc.artifactId, version, entry, await this.pulls.read('maven', artifactName(artifact)));
  }

  async deleteBuild(name: string, version: string, build: string, context: MutationContext = {}): Promise<boolean> {
    const artifact = parseMavenName(name);
    return artifact !== undefined && deleteBuild(this.ctx, artifact, version, build, context.actor);
  }

  listCached(): AsyncIterable<CachedItem> {
    return cachedVersions(this.ctx.store, this.pulls);
  }

  evictCached(item: CachedItem, context: MutationContext = {}): Promise<boolean> {
    return evictCachedVersion(this.ctx, item, context.actor);
  }

  /** `delete` by coordinates, telling how many files went; undefined when absent. */
  deleteVersion(artifact: ArtifactCoordinate, version: string, context: MutationContext = {}): Promise<DeletedVersion | undefined> {
    return deleteVersion(this.ctx, artifact, version, context.actor);
  }

  /** Deploys one artifact file (one ArtifactPushed). */
  deployFile(target: FileTarget, body: Readable, options: DeployOptions = {}): Promise<StoredFile> {
    return deployFile(this.ctx, target, body, options);
  }

  /** Verifies a client checksum, or keeps it for its file: no artifact changes, no event. */
  deployChecksum(target: FileTarget, algorithm: ChecksumAlgorithm, text: string): Promise<'verified' | 'pending'> {
    return deployChecksum(this.ctx, target, algorithm, text);
  }

  /** Keeps the plugin prefixes a client sent in group-level metadata (a hint for `mvn <prefix>:<goal>`, no event). */
  /**
   * Takes the plugin prefixes of a client-sent group maven-metadata.xml. A prefix decides which
   * artifact `mvn <prefix>:<goal>` runs, so it is a mutation like a tag: one PluginPrefixSet per
   * entry that changed (named as the plugin artifact, the prefix as reference); none when the
   * client re-sends what is recorded. Returns how many changed.
   */
  async recordPlugins(dir: string[], xml: string, actor?: string): Promise<number> {
    const changed = await recordPlugins(this.ctx.store, dir, xml);
    for (const plugin of changed) {
      this.ctx.events.publish({ type: 'PluginPrefixSet', artifact: { format: 'maven', name: artifactName({ groupPath: dir, artifactId: plugin.artifactId }), reference: plugin.prefix }, ...(actor ? { actor } : {}) });
    }
    return changed.length;
  }

  listDirectory(segments: string[]): Promise<DirectoryEntry[] | undefined> {
    return listDirectory(this.ctx.store, segments);
  }

  /** Blobs of deployed files and of cached upstream files. */
  referencedBlobs(filter: DocumentFilter = {}): AsyncIterable<string> {
    return digestsInDocuments(this.ctx.store, 'repos/maven/', filter);
  }

  /** Names and versions deployed here; bytes of every distinct blob they and the upstream cache hold. */
  weigh(name: string): Promise<NameWeight> {
    return weighVersions(this, name);
  }

  async usage(): Promise<Usage> {
    const blobs = new Map<string, number>();
    let names = 0;
    let versions = 0;
    for await (const { doc } of localArtifacts(this.ctx.store)) {
      names++;
      for (const version of deployedVersions(doc)) {
        versions++;
        for (const file of Object.values(doc.versions[version]!.files)) blobs.set(file.digest, file.size);
      }
    }
    for await (const file of cachedFiles(this.ctx.store)) blobs.set(file.digest, file.size);
    return { bytes: [...blobs.values()].reduce((a, b) => a + b, 0), names, versions };
  }

  async close(): Promise<void> {
    await this.repository.close();
  }
}
