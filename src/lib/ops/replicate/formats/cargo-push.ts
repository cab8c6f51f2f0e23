// Cargo to a remote NORA: each version the remote's sparse index lacks is published as `cargo
// publish` does (PUT /api/v1/crates/new: length-prefixed metadata JSON and .crate, streamed from
// the blob store), oldest first; then each version's yank state is made the same with the web
// API's yank/unyank. https://doc.rust-lang.org/cargo/reference/registry-web-api.html#publish
import { indexPath } from '../../../cargo/names.js';
import { parseIndexFile, publishMetadataOf, type IndexLine } from './cargo-lines.js';
import { concatParts, u32 } from './streams.js';
import { outcome, type FormatPusher, type PushContext, type VersionOutcome } from './pusher.js';


export class CargoPusher implements FormatPusher {
  constructor(private readonly c: PushContext) {}

  async push(name: string): Promise<VersionOutcome[]> {
    const { service, remote, retry, dryRun } = this.c;
    const remoteIndex = await retry(`index of ${name}`, () => this.remoteIndex(name));
    const versions = (await service.listVersions(name)).filter((v) => this.c.keep(v.version)).sort((a, b) => a.pushed.localeCompare(b.pushed));
    const outcomes: VersionOutcome[] = [];
    for (const v of versions) {
      outcomes.push(await outcome(v.version, async () => {
        const detail = await service.read(name, v.version);
        if (!detail) throw new Error(`version ${v.version} vanished while replicating`);
        const line = detail.metadata as unknown as IndexLine;
        const there = remoteIndex.get(v.version);
        const updates: string[] = [];
        let result: VersionOutcome;
        if (there) {
          result = { version: v.version, status: 'skipped', bytes: 0, reason: 'the remote has this version' };
        } else {
          if (!dryRun) await retry(`publish ${name}@${v.version}`, () => this.publish(line, v.digest, v.size));
          result = { version: v.version, status: dryRun ? 'would-copy' : 'copied', bytes: v.size };
        }
        if (line.yanked !== (there?.yanked ?? false)) {
          updates.push(line.yanked ? 'yank' : 'unyank');
          const path = `cargo/api/v1/crates/${encodeURIComponent(line.name)}/${encodeURIComponent(v.version)}/${line.yanked ? 'yank' : 'unyank'}`;
          if (!dryRun) await retry(`${updates[0]} ${name}@${v.version}`, () => remote.write(line.yanked ? 'DELETE' : 'PUT', path, `${updates[0]} of ${name}@${v.version}`));
        }
        return updates.length ? { ...result, updates } : result;
      }));
    }
    return outcomes;
  }

  /** The remote's index lines of `name` by version (empty when it has none). */
  private async remoteIndex(name: string): Promise<Map<string, { yanked: boolean }>> {
    const reply = await this.c.remote.request('GET', `cargo/index/${indexPath(name)}`);
    const found = new Map<string, { yanked: boolean }>();
    if (reply.status === 404) { reply.body.resume(); return found; }
    if (reply.status !== 200) throw await this.c.remote.refused(reply, `the index of ${name}`);
    let text = '';
    for await (const chunk of reply.body) text += (chunk as Buffer).toString('utf8');
    for (const line of parseIndexFile(text)) found.set(line.vers, { yanked: line.yanked === true });
    return found;
  }

  private publish(line: IndexLine, digest: string, size: number): Promise<void> {
    const metadata = Buffer.from(JSON.stringify(publishMetadataOf(line, line.description ?? null)));
    const body = concatParts([u32(metadata.length), metadata, u32(size), async () => (await this.c.blobs.open(digest)).body]);
    return this.c.remote.write('PUT', 'cargo/api/v1/crates/new', `crate ${line.name}@${line.vers}`, { body, headers: { 'content-length': String(8 + metadata.length + size) } });
  }
}
