// Maven from a remote NORA into this store (a pull rule): for each version the remote lists, the
// files of its directory this store lacks are deployed here as `mvn deploy` would deploy them
// (maven/deploy.ts: body limits, quota, one ArtifactPushed each), every file checked while it
// streams against the .sha1 and .sha256 the remote publishes for it, so a file whose bytes do not
// match is refused and nothing of it is stored. The POM goes last: with it the version counts
// as pushed. Checksum files and maven-metadata.xml are not copied: this store computes its own.
import { artifactName, parseMavenName, parseMavenPath, type ArtifactCoordinate } from '../../../maven/coordinates.js';
import { oldestFirst, type PullContext } from './pull-context.js';
import { outcome, type FormatPusher, type VersionOutcome } from './pusher.js';

const DERIVED = /(\.(md5|sha1|sha256|sha512)|^maven-metadata\.xml.*)$/;
const HREF = /<a href="([^"]*)"/g;
const unescape = (text: string) => text.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));

export class MavenPuller implements FormatPusher {
  constructor(private readonly c: PullContext) {}

  async push(name: string): Promise<VersionOutcome[]> {
    const artifact = parseMavenName(name);
    if (!artifact) throw new Error(`the remote lists a Maven name this store cannot hold: ${JSON.stringify(name)}`);
    const outcomes: VersionOutcome[] = [];
    for (const listed of oldestFirst(this.c, name)) {
      outcomes.push(await outcome(listed.version, async () => {
        const { version } = listed;
        const here = await this.c.formats.maven.read(name, version);
        if (here && here.digest === listed.digest && here.size === listed.size) return { version, status: 'skipped', bytes: 0, reason: 'this store has this version' };
        const have = new Set(Object.keys((here?.metadata as { files?: Record<string, unknown> } | undefined)?.files ?? {}));
        const dir = `maven2/${artifactName(artifact)}/${encodeURIComponent(version)}/`;
        const files = (await this.c.retry(`files of ${name} ${version}`, () => this.files(dir, artifact, version))).filter((f) => !have.has(f));
        if (files.length === 0) return { version, status: 'skipped', bytes: 0, reason: 'this store has every file' };
        if (this.c.dryRun) return { version, status: 'would-copy', bytes: 0 };
        let bytes = 0;
        for (const file of files) bytes += await this.c.retry(`deploy ${dir}${file}`, () => this.copy(artifact, version, `${dir}${encodeURIComponent(file)}`, file));
        return { version, status: 'copied', bytes };
      }));
    }
    return outcomes;
  }

  /** The artifact files of the version's directory page (each checked as a deploy path would be), the POM last. */
  private async files(dir: string, artifact: ArtifactCoordinate, version: string): Promise<string[]> {
    const page = await this.c.remote.text(dir);
    if (page === undefined) throw new Error(`the remote has no directory ${dir}`);
    const files: string[] = [];
    for (const [, href] of page.matchAll(HREF)) {
      const file = unescape(href!);
      if (file.endsWith('/') || DERIVED.test(file)) continue;
      const path = parseMavenPath(`${artifactName(artifact)}/${version}/${file}`);
      if (path.kind !== 'file' || path.checksum || path.version !== version || path.filename !== file) throw new Error(`the remote lists a file this store cannot hold: ${dir}${file}`);
      files.push(file);
    }
    return files.sort((a, b) => Number(a.endsWith('.pom')) - Number(b.endsWith('.pom')));
  }

  /** One file deployed here, verified against the remote's sha1 and sha256; the bytes stored. */
  private async copy(artifact: ArtifactCoordinate, version: string, path: string, filename: string): Promise<number> {
    const { remote } = this.c;
    const [sha1, sha256] = await Promise.all(['sha1', 'sha256'].map(async (algorithm) => {
      const text = (await remote.text(`${path}.${algorithm}`, 1024))?.trim().split(/\s+/)[0]?.toLowerCase();
      if (!text) throw new Error(`the remote serves no .${algorithm} for ${path}`);
      return text;
    }));
    const reply = await remote.request('GET', path);
    if (reply.status !== 200) throw await remote.refused(reply, `GET ${path}`);
    const length = Number(reply.headers['content-length']);
    try {
      const stored = await this.c.formats.maven.deployFile({ artifact, version, filename }, reply.body, {
        actor: this.c.actor, expected: { sha1: sha1!, sha256: sha256! }, ...(Number.isSafeInteger(length) ? { contentLength: length } : {}),
      });
      return stored.size;
    } finally {
      reply.body.destroy();
    }
  }
}
