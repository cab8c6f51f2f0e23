// Cargo from a remote NORA into this store (a pull rule): the remote's sparse index file gives
// each version's index line (in publish order) and its `cksum`; GET /cargo/api/v1/crates/<name>
// gives the descriptions the index lacks. Each version this store lacks is published here as
// `cargo publish` would be (cargo/publish.ts: metadata checked, archive checked, quota asked, one
// ArtifactPushed), its .crate streamed from the remote's download endpoint and refused unless
// its sha256 is the remote's cksum; then each version's yank state is made the remote's. Crates
// are taken dependencies first, since a publish here needs the crates it depends on.
import { isNoraError } from '../../../errors/nora-error.js';
import { parsePublishMetadata } from '../../../cargo/metadata.js';
import { indexPath, normalizeName } from '../../../cargo/names.js';
import type { CrateInfo } from '../../../cargo/crate-info.js';
import { parseIndexFile, publishMetadataOf, type IndexLine } from './cargo-lines.js';
import type { PullContext } from './pull-context.js';
import { outcome, type FormatPusher, type VersionOutcome } from './pusher.js';

const CKSUM = /^[0-9a-f]{64}$/;

export class CargoPuller implements FormatPusher {
  private readonly lines = new Map<string, IndexLine[]>();

  constructor(private readonly c: PullContext) {}

  /**
   * Reads every name's index file and orders the names so a crate's dependencies on this
   * registry come before it; `sequential` when some name depends on another (they must not
   * run at once). A dependency cycle (dev-dependencies can make one) is cut where it closes.
   */
  async order(names: string[]): Promise<{ names: string[]; sequential: boolean }> {
    for (const name of names) this.lines.set(name, await this.c.retry(`index of ${name}`, () => this.index(name)));
    const byKey = new Map(names.map((n) => [normalizeName(n), n]));
    const depsOf = (name: string) => [...new Set((this.lines.get(name) ?? []).flatMap((l) => l.deps.filter((d) => !d.registry).map((d) => byKey.get(normalizeName(d.package ?? d.name)))))]
      .filter((d): d is string => d !== undefined && d !== name);
    const ordered: string[] = [];
    const seen = new Set<string>();
    let sequential = false;
    for (const root of names) {
      if (seen.has(root)) continue;
      seen.add(root);
      // Depth first without recursion: a long chain of crates cannot overflow the stack.
      const stack: Array<{ name: string; deps: string[] }> = [{ name: root, deps: depsOf(root) }];
      while (stack.length) {
        const top = stack[stack.length - 1]!;
        const next = top.deps.shift();
        if (next === undefined) { ordered.push(top.name); stack.pop(); continue; }
        sequential = true;
        if (seen.has(next)) continue;
        seen.add(next);
        stack.push({ name: next, deps: depsOf(next) });
      }
    }
    return { names: ordered, sequential };
  }

  async push(name: string): Promise<VersionOutcome[]> {
    const { remote, retry, formats, dryRun, actor } = this.c;
    const lines = (this.lines.get(name) ?? await retry(`index of ${name}`, () => this.index(name))).filter((l) => this.c.keep(l.vers));
    const info = dryRun ? undefined : await retry(`crate ${name}`, () => remote.json<CrateInfo>(`cargo/api/v1/crates/${encodeURIComponent(name)}`));
    const descriptions = new Map((info?.versions ?? []).map((v) => [v.num, typeof v.description === 'string' ? v.description : null]));
    const here = new Map((await formats.cargo.listVersions(name)).map((v) => [v.version, v.yanked === true]));
    const outcomes: VersionOutcome[] = [];
    for (const line of lines) {
      outcomes.push(await outcome(line.vers, async () => {
        let result: VersionOutcome;
        if (here.has(line.vers)) result = { version: line.vers, status: 'skipped', bytes: 0, reason: 'this store has this version' };
        else if (dryRun) result = { version: line.vers, status: 'would-copy', bytes: 0 };
        else result = await retry(`publish ${name}@${line.vers}`, () => this.publish(name, line, descriptions.get(line.vers) ?? null));
        const yankedHere = here.get(line.vers) ?? false;
        if (line.yanked === yankedHere || result.status === 'failed') return result;
        if (!dryRun) await formats.cargo.yank(name, line.vers, line.yanked, { actor });
        return { ...result, updates: [line.yanked ? 'yank' : 'unyank'] };
      }));
    }
    return outcomes;
  }

  /** The remote's index lines of `name`, in publish order ([] when it has none). */
  private async index(name: string): Promise<IndexLine[]> {
    const text = await this.c.remote.text(`cargo/index/${indexPath(name)}`, 64 * 1024 * 1024);
    return text === undefined ? [] : parseIndexFile(text);
  }

  /** One version published here through the local publish path, its .crate checked against the remote's cksum. */
  private async publish(name: string, line: IndexLine, description: string | null): Promise<VersionOutcome> {
    const { remote, formats, actor } = this.c;
    if (normalizeName(String(line.name)) !== normalizeName(name)) throw new Error(`the remote's index of ${name} holds a line of ${JSON.stringify(line.name)}`);
    if (typeof line.cksum !== 'string' || !CKSUM.test(line.cksum)) throw new Error(`the remote's index line of ${name}@${line.vers} has no valid cksum`);
    const meta = parsePublishMetadata(publishMetadataOf(line, description));
    const path = `cargo/api/v1/crates/${encodeURIComponent(name)}/${encodeURIComponent(meta.vers)}/download`;
    const reply = await remote.request('GET', path);
    if (reply.status !== 200) throw await remote.refused(reply, `GET ${path}`);
    try {
      const length = Number(reply.headers['content-length']);
      if (!Number.isSafeInteger(length)) throw new Error(`the remote sent ${name}@${meta.vers}.crate without a Content-Length`);
      await formats.cargo.publishCrate({ meta, crate: reply.body, crateLength: length, actor, cksum: line.cksum });
      return { version: line.vers, status: 'copied', bytes: length };
    } catch (error) {
      // Another pass (or server) published it meanwhile: nothing left to copy.
      if (isNoraError(error) && error.code === 'CRATE_EXISTS') return { version: line.vers, status: 'skipped', bytes: 0, reason: 'this store has this version' };
      throw error;
    } finally {
      reply.body.destroy();
    }
  }
}
