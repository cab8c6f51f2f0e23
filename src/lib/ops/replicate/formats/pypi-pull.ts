// PyPI from a remote NORA into this store (a pull rule): the remote's PEP 691 JSON page names each
// file with its sha256; each file this store lacks is uploaded here as `twine upload` would be
// (pypi/upload.ts: the form's fields checked, the bytes staged and verified against that sha256,
// the wheel's METADATA extracted for PEP 658, the quota asked, one ArtifactPushed), releases
// oldest first by their files' upload-time (PEP 700); then each release's PEP 592 yank state is
// made the remote's. A file whose bytes do not match the remote's hash is refused and not stored.
// https://peps.python.org/pep-0691/
import { parseDistFilename } from '../../../pypi/filenames.js';
import { prepareUpload } from '../../../pypi/upload-form.js';
import { sameRelease } from '../../../pypi/versions.js';
import { oldestFirst, type PullContext } from './pull-context.js';
import { outcome, type FormatPusher, type VersionOutcome } from './pusher.js';

interface RemoteFile { filename: string; url: string; hashes?: { sha256?: string }; 'requires-python'?: string; yanked?: boolean | string; 'upload-time'?: string }
interface RemoteProject { name?: string; files?: RemoteFile[] }
interface LocalFile { filename: string; yanked?: string }

const JSON_PAGE = { accept: 'application/vnd.pypi.simple.v1+json' };

export class PypiPuller implements FormatPusher {
  constructor(private readonly c: PullContext) {}

  async push(name: string): Promise<VersionOutcome[]> {
    const { remote, retry, formats, dryRun, actor } = this.c;
    const pagePath = `simple/${encodeURIComponent(name)}/`;
    const project = await retry(`project ${name}`, () => remote.json<RemoteProject>(pagePath, JSON_PAGE));
    if (!project?.files) throw new Error(`the remote has no PyPI project ${name}`);
    const display = project.name ?? name;
    // Files by release, each release in the order the listing's push times give.
    const byRelease = new Map<string, RemoteFile[]>();
    for (const file of project.files) {
      const dist = parseDistFilename(file.filename, display);
      if (!dist) throw new Error(`the remote lists a file this store cannot hold: ${JSON.stringify(file.filename)}`);
      byRelease.set(dist.version, [...(byRelease.get(dist.version) ?? []), file]);
    }
    const outcomes: VersionOutcome[] = [];
    for (const { version } of oldestFirst(this.c, name)) {
      outcomes.push(await outcome(version, async () => {
        const files = [...byRelease.entries()].filter(([v]) => sameRelease(v, version)).flatMap(([, f]) => f);
        const local = () => formats.pypi.read(name, version).then((d) => (d?.metadata as { files?: LocalFile[] } | undefined)?.files ?? []);
        const have = new Set((await local()).map((f) => f.filename));
        const missing = files.filter((f) => !have.has(f.filename));
        let bytes = 0;
        if (!dryRun) for (const file of missing) bytes += await retry(`upload ${file.filename}`, () => this.copy(display, pagePath, file));
        const result: VersionOutcome = missing.length === 0
          ? { version, status: 'skipped', bytes: 0, reason: 'this store has every file' }
          : { version, status: dryRun ? 'would-copy' : 'copied', bytes };
        const yanked = files.some((f) => f.yanked !== undefined && f.yanked !== false);
        const yankedHere = dryRun ? yanked : (await local()).some((f) => f.yanked !== undefined);
        if (yanked === yankedHere || files.length === 0) return result;
        await formats.pypi.yank(name, version, yanked, { actor });
        return { ...result, updates: [yanked ? 'yank' : 'unyank'] };
      }));
    }
    return outcomes;
  }

  /** One file uploaded here through the local upload path; the bytes stored. */
  private async copy(display: string, pagePath: string, file: RemoteFile): Promise<number> {
    const { remote, formats, actor } = this.c;
    const sha256 = file.hashes?.sha256;
    if (!sha256) throw new Error(`the remote gives no sha256 for ${file.filename}`);
    const dist = parseDistFilename(file.filename, display)!;
    const fields = new Map([[':action', 'file_upload'], ['name', display], ['version', dist.version], ['sha256_digest', sha256], ...(file['requires-python'] ? [['requires_python', file['requires-python']] as [string, string]] : [])]);
    const upload = prepareUpload(fields, file.filename);
    await formats.pypi.assertNewFile(upload);
    const reply = await remote.request('GET', fileUrl(remote.label, pagePath, file));
    if (reply.status !== 200) throw await remote.refused(reply, `GET ${file.filename}`);
    try {
      const received = await formats.pypi.receiveFile(upload, reply.body);
      return (await formats.pypi.commitUpload(upload, received, { actor })).size;
    } finally {
      reply.body.destroy();
    }
  }
}

/** The file's link resolved against its page, as a path under the remote's base; a link elsewhere is refused. */
function fileUrl(base: string, pagePath: string, file: RemoteFile): string {
  const root = `${base.replace(/\/+$/, '')}/`;
  const url = new URL(file.url, `${root}${pagePath}`);
  url.hash = '';
  if (!url.href.startsWith(root)) throw new Error(`the remote links ${file.filename} outside itself: ${url.origin}${url.pathname}`);
  return url.href.slice(root.length);
}

