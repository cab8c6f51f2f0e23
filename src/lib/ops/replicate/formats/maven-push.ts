// Maven to a remote NORA: every file of every version is deployed as `mvn deploy` does (PUT of
// the file streamed from the blob store, then its .sha1, which the remote verifies); a file the
// remote already serves (HEAD 200) is skipped. The remote regenerates maven-metadata.xml itself.
import { outcome, type FormatPusher, type PushContext, type VersionOutcome } from './pusher.js';

interface StoredFile { digest: string; size: number; sha1?: string }
const CHECKSUM = /\.(md5|sha1|sha256|sha512|asc)$/;

export class MavenPusher implements FormatPusher {
  constructor(private readonly c: PushContext) {}

  async push(name: string): Promise<VersionOutcome[]> {
    const { service, remote, retry, blobs, dryRun } = this.c;
    const outcomes: VersionOutcome[] = [];
    for (const v of (await service.listVersions(name)).filter((x) => this.c.keep(x.version))) {
      outcomes.push(await outcome(v.version, async () => {
        const detail = await service.read(name, v.version);
        if (!detail) throw new Error(`version ${v.version} vanished while replicating`);
        const meta = detail.metadata as { groupId: string; artifactId: string; files: Record<string, StoredFile> };
        const dir = `maven2/${meta.groupId.replace(/\./g, '/')}/${meta.artifactId}/${v.version}`;
        let bytes = 0;
        for (const [file, stored] of Object.entries(meta.files)) {
          if (CHECKSUM.test(file)) continue;
          const path = `${dir}/${encodeURIComponent(file)}`;
          const head = await retry(`HEAD ${path}`, () => remote.request('HEAD', path));
          if (head.status === 200) continue;
          bytes += stored.size;
          if (dryRun) continue;
          await retry(`deploy ${path}`, async () => remote.write('PUT', path, `maven ${file}`, {
            body: (await blobs.open(stored.digest)).body,
            headers: { 'content-type': 'application/octet-stream', 'content-length': String(stored.size) },
          }));
          if (stored.sha1) await retry(`deploy ${path}.sha1`, () => remote.write('PUT', `${path}.sha1`, `maven ${file}.sha1`, { body: Buffer.from(stored.sha1!) }));
        }
        if (bytes === 0) return { version: v.version, status: 'skipped', bytes: 0, reason: 'the remote has every file' };
        return { version: v.version, status: dryRun ? 'would-copy' : 'copied', bytes };
      }));
    }
    return outcomes;
  }
}
