// PyPI to a remote NORA: each file the remote's simple index lacks is uploaded as `twine upload`
// does (the legacy multipart form: metadata fields, then the file streamed from the blob store;
// the remote verifies its sha256 and reads the wheel's metadata itself); then each release's
// PEP 592 yank state is made the same through the management API (POST /api/yank?ref=&yanked=).
// https://warehouse.pypa.io/api-reference/legacy.html#upload-api
import { randomUUID } from 'node:crypto';
import { concatParts } from './streams.js';
import { outcome, type FormatPusher, type PushContext, type VersionOutcome } from './pusher.js';

interface StoredFile { filename: string; version: string; kind: 'wheel' | 'sdist'; digest: string; sha256: string; md5?: string; size: number; requiresPython?: string; yanked?: string }
interface SimpleProject { files?: Array<{ filename: string; yanked?: boolean | string }> }

const normalize = (name: string) => name.toLowerCase().replace(/[-_.]+/g, '-');

export class PypiPusher implements FormatPusher {
  constructor(private readonly c: PushContext) {}

  async push(name: string): Promise<VersionOutcome[]> {
    const { service, remote, retry, dryRun } = this.c;
    const project = await retry(`project ${name}`, () => remote.json<SimpleProject>(`simple/${normalize(name)}/`, { accept: 'application/vnd.pypi.simple.v1+json' }));
    const remoteFiles = new Map((project?.files ?? []).map((f) => [f.filename, f.yanked !== undefined && f.yanked !== false]));
    const outcomes: VersionOutcome[] = [];
    for (const v of (await service.listVersions(name)).filter((x) => this.c.keep(x.version))) {
      outcomes.push(await outcome(v.version, async () => {
        const detail = await service.read(name, v.version);
        if (!detail) throw new Error(`release ${v.version} vanished while replicating`);
        const meta = detail.metadata as { name: string; files: StoredFile[] };
        let bytes = 0;
        for (const file of meta.files) {
          if (remoteFiles.has(file.filename)) continue;
          bytes += file.size;
          if (!dryRun) await retry(`upload ${file.filename}`, () => this.upload(meta.name, file));
        }
        const result: VersionOutcome = bytes === 0
          ? { version: v.version, status: 'skipped', bytes: 0, reason: 'the remote has every file' }
          : { version: v.version, status: dryRun ? 'would-copy' : 'copied', bytes };
        const yanked = meta.files.some((f) => f.yanked !== undefined);
        const yankedThere = meta.files.some((f) => remoteFiles.get(f.filename) === true);
        if (yanked === yankedThere) return result;
        if (!dryRun) {
          const query = `ref=${encodeURIComponent(`pypi:${meta.name}@${v.version}`)}&yanked=${yanked}`;
          await retry(`${yanked ? 'yank' : 'unyank'} ${name} ${v.version}`, () => remote.write('POST', `api/yank?${query}`, `${yanked ? 'yank' : 'unyank'} of ${name} ${v.version}`, { body: Buffer.alloc(0) }));
        }
        return { ...result, updates: [yanked ? 'yank' : 'unyank'] };
      }));
    }
    return outcomes;
  }

  private upload(name: string, file: StoredFile): Promise<void> {
    const boundary = `nora-${randomUUID()}`;
    const fields: Record<string, string> = {
      ':action': 'file_upload', protocol_version: '1', name, version: file.version,
      filetype: file.kind === 'wheel' ? 'bdist_wheel' : 'sdist', pyversion: file.kind === 'wheel' ? (file.filename.split('-').at(-3) ?? 'py3') : 'source',
      metadata_version: '2.1', sha256_digest: file.sha256, ...(file.md5 ? { md5_digest: file.md5 } : {}), ...(file.requiresPython ? { requires_python: file.requiresPython } : {}),
    };
    const head = Object.entries(fields).map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`).join('')
      + `--${boundary}\r\nContent-Disposition: form-data; name="content"; filename="${file.filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`;
    const tail = `\r\n--${boundary}--\r\n`;
    const body = concatParts([head, async () => (await this.c.blobs.open(file.digest)).body, tail]);
    const length = Buffer.byteLength(head) + file.size + Buffer.byteLength(tail);
    return this.c.remote.write('POST', 'pypi/', `upload of ${file.filename}`, { body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(length) } });
  }
}
