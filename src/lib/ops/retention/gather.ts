// Reads what the planner needs from the format services: every name some rule can match, with
// its tags or versions (push and pull times from listVersions), an OCI repository's manifests and
// a Maven SNAPSHOT's builds. One name at a time, so memory follows the largest name, not the store.
import { FORMATS, type FormatService } from '../../formats/format-service.js';
import type { FormatSet } from '../formats.js';
import { coversFormat, type CompiledRule } from './rules.js';
import type { RetentionName, RetentionUnit } from './types.js';

/**
 * The listing of one name. An OCI repository is read once, through its manifests: each tag is a
 * unit, and its last pull is its image's (a pull by any tag or by digest counts).
 */
export async function readName(service: FormatService, name: string): Promise<RetentionName> {
  if (service.listManifests) {
    const manifests = await service.listManifests(name);
    const units: RetentionUnit[] = manifests.flatMap((m) => m.tags.map((tag) => ({
      version: tag, digest: m.digest, size: m.blobs.reduce((sum, b) => (b.digest === m.digest ? sum : sum + b.size), 0), pushed: m.tagPushed[tag] ?? m.pushed,
      pulls: m.pulls, ...(m.lastPulled ? { lastPulled: m.lastPulled } : {}),
    })));
    return { format: service.format, name, accessName: service.accessName(name), units, manifests };
  }
  const versions = await service.listVersions(name);
  const units: RetentionUnit[] = [];
  for (const v of versions) {
    const unit: RetentionUnit = { version: v.version, digest: v.digest, size: v.size, pushed: v.pushed, pulls: v.pulls, ...(v.lastPulled ? { lastPulled: v.lastPulled } : {}), ...(v.tags ? { tags: v.tags } : {}), ...(v.yanked ? { yanked: true } : {}) };
    if (service.listBuilds && v.version.endsWith('-SNAPSHOT')) {
      const builds = await service.listBuilds(name, v.version);
      if (builds.length > 0) unit.builds = builds;
    }
    units.push(unit);
  }
  return { format: service.format, name, accessName: service.accessName(name), units };
}

/** Names read ahead while the planner works on earlier ones (store round trips overlap). */
const READ_AHEAD = 8;

/**
 * Every name of every format some rule covers, whose access name some rule's name glob matches,
 * in listing order; up to READ_AHEAD names are read at once.
 */
export async function* gatherNames(formats: FormatSet, rules: CompiledRule[]): AsyncGenerator<RetentionName> {
  const ahead: Promise<RetentionName>[] = [];
  for (const format of FORMATS) {
    const relevant = rules.filter((r) => coversFormat(r, format));
    if (relevant.length === 0) continue;
    const service = formats[format];
    for (const name of (await service.listNames()).items) {
      if (!relevant.some((r) => r.matchesName(service.accessName(name)))) continue;
      const read = readName(service, name);
      read.catch(() => undefined); // observed when its turn comes
      ahead.push(read);
      if (ahead.length >= READ_AHEAD) yield await ahead.shift()!;
    }
  }
  while (ahead.length > 0) yield await ahead.shift()!;
}
