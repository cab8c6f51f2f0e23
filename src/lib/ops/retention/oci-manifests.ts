// Untagged OCI manifests under `untagged_older_than`, once the plan's tag deletions are done:
// a manifest no remaining tag names and pushed longer ago than the rule says goes, unless a kept
// index lists it (children stay with their index) or it is a referrer whose subject stays
// (signatures, SBOMs and attestations follow their subject: they go when their subject goes).
import type { ManifestListing } from '../../formats/format-service.js';
import { coversFormat, type CompiledRule } from './rules.js';
import { formatAge, formatDuration } from './conditions.js';

export interface ManifestVerdict { rule: CompiledRule; reason: string }

/** Digests to delete with their rule and reason; `deletedTags` are the tags this plan removes. */
export function planManifests(rules: CompiledRule[], accessName: string, manifests: ManifestListing[], deletedTags: Set<string>, now: number): Map<string, ManifestVerdict> {
  const out = new Map<string, ManifestVerdict>();
  const rule = rules.find((r) => coversFormat(r, 'oci') && r.untaggedOlderThanMs !== undefined && r.matchesName(accessName));
  if (!rule) return out;
  const byDigest = new Map(manifests.map((m) => [m.digest, m]));
  const untagged = (m: ManifestListing) => m.tags.every((t) => deletedTags.has(t));
  for (const m of manifests) {
    const age = now - Date.parse(m.pushed);
    // A referrer whose subject is here follows it; one whose subject is gone ages like any other.
    if (!untagged(m) || (m.subject && byDigest.has(m.subject)) || age <= rule.untaggedOlderThanMs!) continue;
    out.set(m.digest, { rule, reason: `untagged_older_than = ${formatDuration(rule.untaggedOlderThanMs!)}: untagged, pushed ${formatAge(age)} ago` });
  }
  // Alternate until stable: kept manifests keep their children; referrers of deleted subjects go.
  for (let changed = true, rounds = 0; changed && rounds <= manifests.length + 1; rounds++) {
    changed = false;
    const neededChildren = new Set<string>();
    for (const m of manifests) if (!out.has(m.digest)) for (const child of m.children) neededChildren.add(child);
    for (const digest of neededChildren) if (out.delete(digest)) changed = true;
    for (const [digest] of out) {
      const subject = byDigest.get(digest)?.subject;
      if (subject && byDigest.has(subject) && !out.has(subject) && out.delete(digest)) changed = true;
    }
    for (const m of manifests) {
      if (out.has(m.digest) || !m.subject || !untagged(m) || neededChildren.has(m.digest)) continue;
      const subject = out.get(m.subject);
      if (subject) {
        out.set(m.digest, { rule: subject.rule, reason: `referrer of ${m.subject}, which goes` });
        changed = true;
      }
    }
  }
  return out;
}
