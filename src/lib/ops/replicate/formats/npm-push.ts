// npm to a remote NORA: each version the remote lacks is published as `npm publish` does (one
// JSON body with the tarball in base64, streamed from the blob store), oldest first; then every
// dist-tag is pointed where it points here (PUT /-/package/<name>/dist-tags/<tag>), and
// deprecation texts are aligned as `npm deprecate` does (the packument written back with its _rev).
// https://github.com/npm/registry/blob/main/docs/REGISTRY-API.md
import { Readable } from 'node:stream';
import type { VersionInfo } from '../../../formats/format-service.js';
import { base64Of, concatParts } from './streams.js';
import { outcome, type FormatPusher, type PushContext, type VersionOutcome } from './pusher.js';

interface RemotePackument {
  _rev?: string;
  'dist-tags'?: Record<string, string>;
  versions?: Record<string, { deprecated?: string }>;
  [key: string]: unknown;
}

const encodeName = (name: string) => name.replace('/', '%2f');
const JSON_HEADERS = { 'content-type': 'application/json' };

export class NpmPusher implements FormatPusher {
  constructor(private readonly c: PushContext) {}

  async push(name: string): Promise<VersionOutcome[]> {
    const { service, remote, retry } = this.c;
    const path = `npm/${encodeName(name)}`;
    const versions = (await service.listVersions(name)).filter((v) => this.c.keep(v.version)).sort((a, b) => a.pushed.localeCompare(b.pushed));
    const there = await retry(`packument ${name}`, () => remote.json<RemotePackument>(path));
    const outcomes: VersionOutcome[] = [];
    const manifests = new Map<string, Record<string, unknown>>();
    for (const v of versions) {
      outcomes.push(await outcome(v.version, async () => {
        const detail = await service.read(name, v.version);
        if (!detail) throw new Error(`version ${v.version} vanished while replicating`);
        manifests.set(v.version, detail.metadata);
        if (there?.versions?.[v.version]) return { version: v.version, status: 'skipped', bytes: 0, reason: 'the remote has this version' };
        if (this.c.dryRun) return { version: v.version, status: 'would-copy', bytes: v.size };
        await retry(`publish ${name}@${v.version}`, () => this.publish(path, name, v, detail.metadata));
        return { version: v.version, status: 'copied', bytes: v.size };
      }));
    }
    const updates = await this.align(path, name, versions, manifests);
    if (updates.length && outcomes.length) outcomes[outcomes.length - 1]!.updates = updates;
    return outcomes;
  }

  private publish(path: string, name: string, v: VersionInfo, manifest: Record<string, unknown>): Promise<void> {
    const file = `${name.split('/').pop()}-${v.version}.tgz`;
    const head = `{"_id":${JSON.stringify(name)},"name":${JSON.stringify(name)},"versions":${JSON.stringify({ [v.version]: manifest })},"dist-tags":{},"_attachments":{${JSON.stringify(file)}:{"content_type":"application/octet-stream","length":${v.size},"data":"`;
    const body = concatParts([head, async () => Readable.from(base64Of((await this.c.blobs.open(v.digest)).body)), '"}}}']);
    return this.c.remote.write('PUT', path, `npm ${name}@${v.version}`, { body, headers: JSON_HEADERS });
  }

  /** Dist-tags and deprecations as they are here; the changes made (or that would be). */
  private async align(path: string, name: string, versions: VersionInfo[], manifests: Map<string, Record<string, unknown>>): Promise<string[]> {
    const { remote, retry, dryRun } = this.c;
    const updates: string[] = [];
    const there = (dryRun ? undefined : await retry(`packument ${name}`, () => remote.json<RemotePackument>(path))) ?? {};
    for (const v of versions) {
      for (const tag of v.tags ?? []) {
        if (there['dist-tags']?.[tag] === v.version) continue;
        updates.push(`dist-tag ${tag} -> ${v.version}`);
        if (!dryRun) await retry(`dist-tag ${name}@${tag}`, () => remote.write('PUT', `npm/-/package/${encodeName(name)}/dist-tags/${encodeURIComponent(tag)}`, `dist-tag ${tag} of ${name}`, { body: Buffer.from(JSON.stringify(v.version)), headers: JSON_HEADERS }));
      }
    }
    const changed = versions.filter((v) => (manifests.get(v.version)?.deprecated ?? '') !== (there.versions?.[v.version]?.deprecated ?? ''));
    if (changed.length === 0) return updates;
    for (const v of changed) updates.push(`deprecation of ${v.version}`);
    if (dryRun) return updates;
    await retry(`deprecations of ${name}`, async () => {
      const fresh = await remote.json<RemotePackument>(path);
      if (!fresh?.versions) throw new Error(`the remote has no packument for ${name}`);
      for (const v of changed) {
        const entry = fresh.versions[v.version];
        if (!entry) continue;
        const text = manifests.get(v.version)?.deprecated;
        if (typeof text === 'string' && text) entry.deprecated = text;
        else delete entry.deprecated;
      }
      await remote.write('PUT', `${path}/-rev/${encodeURIComponent(fresh._rev ?? '')}`, `deprecations of ${name}`, { body: Buffer.from(JSON.stringify(fresh)), headers: JSON_HEADERS });
    });
    return updates;
  }
}
