// npm from a remote NORA into this store (a pull rule): each version this store lacks is read
// from the remote's packument and tarball, and published here as `npm publish` is, through the
// local registry (the same streamed body the npm pusher sends, staged and verified against the
// remote's integrity, the tenant quota asked, one ArtifactPushed each); then dist-tags and
// deprecation texts are aligned with the remote's, each a normal edit with its event.
import { Readable } from 'node:stream';
import { parsePackageName, type PackageName } from '../../../npm/package-name.js';
import { readStreamedBody } from '../../../npm/publish-stream.js';
import { base64Of, concatParts } from './streams.js';
import { outcome, type FormatPusher, type VersionOutcome } from './pusher.js';
import type { PullContext } from './pull-context.js';

interface RemoteVersion { deprecated?: unknown; dist?: { tarball?: unknown } }
interface RemotePackument {
  'dist-tags'?: Record<string, string>;
  versions?: Record<string, RemoteVersion & Record<string, unknown>>;
  time?: Record<string, string>;
}

const encodeName = (name: string) => name.replace('/', '%2f');

export class NpmPuller implements FormatPusher {
  constructor(private readonly c: PullContext) {}

  /** The local registry, whose publish path (`PUT /npm/<name>`) every copied version goes through. */
  private get registry() { return this.c.formats.npm.registry; }

  async push(text: string): Promise<VersionOutcome[]> {
    const { remote, retry } = this.c;
    const registry = this.registry;
    const name = parsePackageName(text);
    const there = await retry(`packument ${name.full}`, () => remote.json<RemotePackument>(`npm/${encodeName(name.full)}`));
    if (!there?.versions) throw new Error(`the remote has no npm package ${name.full}`);
    const here = await registry.local.read(name);
    // Oldest first, as they were published there (the packument's time map), so "latest" moves as it did.
    const when = (v: string) => there.time?.[v] ?? '';
    const versions = Object.keys(there.versions).filter((v) => this.c.keep(v)).sort((a, b) => when(a).localeCompare(when(b)));
    const outcomes: VersionOutcome[] = [];
    for (const version of versions) {
      outcomes.push(await outcome(version, async () => {
        if (here?.packument.versions[version]) return { version, status: 'skipped', bytes: 0, reason: 'this store has this version' };
        if (this.c.dryRun) return { version, status: 'would-copy', bytes: 0 };
        const bytes = await retry(`publish ${name.full}@${version}`, () => this.publish(name, version, there.versions![version]!));
        return { version, status: 'copied', bytes };
      }));
    }
    const updates = this.c.dryRun ? [] : await this.align(name, there, versions);
    if (updates.length && outcomes.length) outcomes[outcomes.length - 1]!.updates = updates;
    return outcomes;
  }

  /** One version as `npm publish` sends it, read by the local registry's own publish path. */
  private async publish(name: PackageName, version: string, manifest: Record<string, unknown>): Promise<number> {
    const { remote } = this.c;
    const registry = this.registry;
    const file = `${name.full.split('/').pop()}-${version}.tgz`;
    const reply = await remote.request('GET', `npm/${name.full}/-/${file}`);
    if (reply.status !== 200) throw await remote.refused(reply, `GET tarball ${name.full}@${version}`);
    let size = 0;
    const counted = Readable.from((async function* () { for await (const chunk of reply.body) { size += (chunk as Buffer).length; yield chunk as Buffer; } })());
    const clean = { ...manifest };
    delete clean.deprecated; // aligned afterwards, as an edit with its own event
    const head = `{"_id":${JSON.stringify(name.full)},"name":${JSON.stringify(name.full)},"versions":${JSON.stringify({ [version]: clean })},"dist-tags":{},"_attachments":{${JSON.stringify(file)}:{"content_type":"application/octet-stream","data":"`;
    const body = concatParts([head, async () => Readable.from(base64Of(counted)), '"}}}']);
    const streamed = await readStreamedBody(body, { blobs: this.c.blobs, maxSize: this.c.config.npm.max_body, maxMetadata: this.c.config.npm.max_metadata });
    await registry.publish(name, streamed, this.c.actor);
    return size;
  }

  /** Dist-tags and deprecations as the remote has them; the changes made. */
  private async align(name: PackageName, there: RemotePackument, versions: string[]): Promise<string[]> {
    const { actor } = this.c;
    const registry = this.registry;
    const updates: string[] = [];
    let doc = await registry.local.read(name);
    if (!doc) return updates;
    for (const [tag, version] of Object.entries(there['dist-tags'] ?? {})) {
      if (!this.c.keep(version) || !doc.packument.versions[version] || doc.packument['dist-tags'][tag] === version) continue;
      doc = await registry.local.setTag(name, tag, version, actor);
      updates.push(`dist-tag ${tag} -> ${version}`);
    }
    const text = (v: RemoteVersion | undefined) => (typeof v?.deprecated === 'string' ? v.deprecated : '');
    const changed = versions.filter((v) => doc.packument.versions[v] && text(there.versions?.[v]) !== text(doc.packument.versions[v] as RemoteVersion));
    if (changed.length === 0) return updates;
    // The packument written back with only the deprecations changed, as `npm deprecate` sends it.
    const edited = structuredClone(doc.packument) as unknown as { versions: Record<string, Record<string, unknown>> };
    for (const v of changed) {
      const message = text(there.versions?.[v]);
      if (message) edited.versions[v]!.deprecated = message;
      else delete edited.versions[v]!.deprecated;
      updates.push(`deprecation of ${v}`);
    }
    await registry.local.update(name, edited, doc.rev, actor);
    return updates;
  }
}
