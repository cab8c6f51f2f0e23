// The retention planner: pure, from rules and listings to decisions. For each tag or version the
// first rule that matches decides (none: kept); inside each rule's pool (a repository's tags, a
// package's versions, a SNAPSHOT's builds) something goes only when every condition says so.
// Always kept: `protect` globs, npm versions a dist-tag names, the newest of a repository or
// package (of a SNAPSHOT: its newest build) unless the rule says allow_empty, and (oci-manifests.ts)
// what a kept index lists or a kept subject has as referrer. Bytes are those of blobs that no kept
// artifact of the listing holds, each counted once.
import type { FormatName } from '../../formats/format-service.js';
import { judge, newestOf, type PoolItem, type Verdict } from './conditions.js';
import { planManifests } from './oci-manifests.js';
import { coversFormat, type CompiledRule } from './rules.js';
import type { Blob, Decision, Plan, RetentionName, RetentionUnit } from './types.js';

interface Pending { decision: Decision; blobs: Blob[] }

/** Plans one pass; `names` may be a generator (each name is looked at once). */
export class RetentionPlanner {
  private readonly pending: Pending[] = [];
  private readonly kept = new Set<string>();
  private names = 0;
  private considered = 0;
  private keptCount = 0;

  constructor(private readonly rules: CompiledRule[], private readonly now: number) {}

  add(entry: RetentionName): void {
    this.names++;
    const rules = this.rules.filter((r) => coversFormat(r, entry.format) && r.matchesName(entry.accessName));
    const pools = new Map<CompiledRule, RetentionUnit[]>();
    const snapshots: Array<{ unit: RetentionUnit; rule: CompiledRule | undefined }> = [];
    for (const unit of entry.units) {
      const rule = rules.find((r) => r.matchesVersion(unit.version));
      if (unit.builds?.length) { snapshots.push({ unit, rule }); continue; }
      // An already yanked crate is done with, for a rule that yanks.
      if (entry.format === 'cargo' && unit.yanked && (rule?.action ?? 'yank') === 'yank') continue;
      this.considered++;
      if (!rule) { this.keep(entry, unit); continue; }
      const pool = pools.get(rule);
      if (pool) pool.push(unit);
      else pools.set(rule, [unit]);
    }
    const newest = newestOf(entry.units.filter((u) => !u.builds?.length && !(entry.format === 'cargo' && u.yanked)).map(item))?.id;
    const deletedTags = new Set<string>();
    for (const [rule, matched] of pools) {
      // Protected items are kept outside the ranks: keep_last = 5 keeps the 5 newest of the rest.
      const pool: RetentionUnit[] = [];
      for (const unit of matched) {
        if (this.shielded(rule, unit)) this.keep(entry, unit);
        else pool.push(unit);
      }
      const verdicts = judge(rule, pool.map(item), this.now);
      for (const unit of pool) {
        const verdict = this.keepNamed(entry.format, rule, unit, unit.version === newest, verdicts.get(unit.version)!);
        if (!verdict.delete) { this.keep(entry, unit); continue; }
        const kind = entry.format === 'oci' ? 'tag' : 'version';
        if (kind === 'tag') deletedTags.add(unit.version);
        const action = entry.format === 'cargo' ? rule.action : 'delete';
        this.decide(entry, { kind, reference: unit.version, action, digest: unit.digest, pushed: unit.pushed, lastPulled: unit.lastPulled }, rule, verdict.reason,
          kind === 'tag' || action === 'yank' ? [] : blobsOf(unit));
        if (action === 'yank') this.keep(entry, unit);
      }
    }
    for (const { unit, rule } of snapshots) this.snapshot(entry, unit, rule);
    if (entry.manifests) this.manifests(entry, deletedTags);
  }

  /** The decisions, each with the bytes only it frees. */
  finish(): Plan {
    const counted = new Set<string>();
    let total = 0;
    const decisions = this.pending.map(({ decision, blobs }) => {
      let bytes = 0;
      for (const blob of blobs) {
        if (this.kept.has(blob.digest) || counted.has(blob.digest)) continue;
        counted.add(blob.digest);
        bytes += blob.size;
      }
      total += bytes;
      return { ...decision, bytes };
    });
    return { now: new Date(this.now).toISOString(), decisions, bytes: total, names: this.names, considered: this.considered, kept: this.keptCount };
  }

  /** Kept whatever the conditions say, and not counted by keep_last or keep_last_pulled: what the rule's `protect` globs name. */
  private shielded(rule: CompiledRule, unit: RetentionUnit): boolean {
    return rule.isProtected(unit.version);
  }

  /** npm versions a dist-tag names, and the newest of a repository or package unless allow_empty, stay (they do count in the ranks). */
  private keepNamed(format: FormatName, rule: CompiledRule, unit: RetentionUnit, isNewest: boolean, verdict: Verdict): Verdict {
    if (!verdict.delete) return verdict;
    if (format === 'npm' && unit.tags?.length) return { delete: false };
    if (isNewest && !rule.allowEmpty) return { delete: false };
    return verdict;
  }

  /** A SNAPSHOT's builds under the rule of its version; all of them gone makes one version decision. */
  private snapshot(entry: RetentionName, unit: RetentionUnit, rule: CompiledRule | undefined): void {
    const builds = unit.builds!;
    this.considered += builds.length;
    if (!rule) { for (const b of builds) this.keepBlobs(b.blobs); this.keptCount += builds.length; return; }
    const verdicts = judge(rule, builds.map((b) => ({ id: b.build, pushed: b.pushed, ...(b.lastPulled ? { lastPulled: b.lastPulled } : {}) })), this.now);
    const newest = newestOf(builds.map((b) => ({ id: b.build, pushed: b.pushed })))?.id;
    const going = builds.flatMap((b) => {
      const verdict = verdicts.get(b.build)!;
      if (!verdict.delete || rule.isProtected(unit.version) || (b.build === newest && !rule.allowEmpty)) { this.keepBlobs(b.blobs); this.keptCount++; return []; }
      return [{ build: b, reason: verdict.reason }];
    });
    if (going.length === builds.length && going.length > 0) {
      const last = going.find((g) => g.build.build === newest)!;
      this.decide(entry, { kind: 'version', reference: unit.version, action: 'delete', digest: unit.digest, pushed: unit.pushed, lastPulled: unit.lastPulled }, rule, `every build: ${last.reason}`, builds.flatMap((b) => b.blobs));
      return;
    }
    for (const { build, reason } of going) {
      this.decide(entry, { kind: 'build', reference: unit.version, build: build.build, action: 'delete', digest: unit.digest, pushed: build.pushed, lastPulled: build.lastPulled }, rule, reason, build.blobs);
    }
  }

  private manifests(entry: RetentionName, deletedTags: Set<string>): void {
    const manifests = entry.manifests!;
    const going = planManifests(this.rules, entry.accessName, manifests, deletedTags, this.now);
    for (const m of manifests) {
      if (m.tags.length > 0 && m.tags.some((t) => !deletedTags.has(t))) { this.keepBlobs(m.blobs); continue; }
      this.considered++;
      const verdict = going.get(m.digest);
      if (!verdict) { this.keepBlobs(m.blobs); this.keptCount++; continue; }
      this.decide(entry, { kind: 'manifest', reference: m.digest, action: 'delete', digest: m.digest, pushed: m.pushed, lastPulled: m.lastPulled }, verdict.rule, verdict.reason, m.blobs);
    }
  }

  private decide(entry: RetentionName, what: Pick<Decision, 'kind' | 'reference' | 'action' | 'digest' | 'pushed'> & { build?: string; lastPulled?: string | undefined }, rule: CompiledRule, reason: string, blobs: Blob[]): void {
    const { lastPulled, build, ...rest } = what;
    this.pending.push({
      decision: { format: entry.format, name: entry.name, ...rest, ...(build ? { build } : {}), ...(lastPulled ? { lastPulled } : {}), rule: rule.index, match: rule.match, reason, bytes: 0 },
      blobs,
    });
  }

  private keep(entry: RetentionName, unit: RetentionUnit): void {
    this.keptCount++;
    // OCI tags keep nothing by themselves: their manifests do (manifests()).
    if (entry.format !== 'oci') this.keepBlobs(blobsOf(unit));
  }

  private keepBlobs(blobs: Blob[]): void {
    for (const blob of blobs) this.kept.add(blob.digest);
  }
}

const item = (unit: RetentionUnit): PoolItem => ({ id: unit.version, pushed: unit.pushed, ...(unit.lastPulled ? { lastPulled: unit.lastPulled } : {}) });
const blobsOf = (unit: RetentionUnit): Blob[] => unit.blobs ?? (unit.digest ? [{ digest: unit.digest, size: unit.size }] : []);

/** Plans over a whole listing at once (tests and the benchmark). */
export function planRetention(rules: CompiledRule[], names: Iterable<RetentionName>, now: number): Plan {
  const planner = new RetentionPlanner(rules, now);
  for (const entry of names) planner.add(entry);
  return planner.finish();
}
