// The selection flags of `nora replicate`, checked once: --filter globs over repository names
// (picomatch: * stays in one segment, ** crosses them), --tags glob, --semver range (tags that
// are semantic versions, a leading "v" allowed), --since duration (images created since then,
// from their config's "created") and --platform os/arch[/variant] (one image of an index).
import picomatch from 'picomatch';
import type { Range } from 'semver';
import { loadSemver } from '../../config/load-semver.js';
import { parseDuration } from '../../config/units.js';
import { ReplicateErrors } from './errors.js';

export interface Platform { os: string; architecture: string; variant?: string }

export interface Selection {
  /** True for repository names to copy (every name without --filter). */
  name: (name: string) => boolean;
  /** True for tags to copy. */
  tag: (tag: string) => boolean;
  /** Images created before this time (ms since the epoch) are left out. */
  since?: number;
  platform?: Platform;
}

export interface SelectionFlags {
  filter?: string[];
  tags?: string;
  semver?: string;
  since?: string;
  platform?: string;
}

const MAX = 256;

export function parseSelection(flags: SelectionFlags, now: number): Selection {
  const globs = (flags.filter ?? []).map((glob) => {
    if (!glob || glob.length > MAX) throw ReplicateErrors.BAD_FILTER('--filter', glob, `expected a glob of at most ${MAX} characters`);
    return picomatch(glob);
  });
  const name = globs.length ? (n: string) => globs.some((match) => match(n)) : () => true;
  const tagGlob = flags.tags === undefined ? undefined : picomatch(check('--tags', flags.tags));
  let range: Range | undefined;
  if (flags.semver !== undefined) {
    try {
      range = new (loadSemver().Range)(check('--semver', flags.semver));
    } catch {
      throw ReplicateErrors.BAD_FILTER('--semver', flags.semver, 'expected a semver range such as ">=1.2 <2" or "^1.4"');
    }
  }
  const tag = (t: string) => {
    if (tagGlob && !tagGlob(t)) return false;
    if (!range) return true;
    const version = loadSemver().valid(t.replace(/^v(?=\d)/, ''));
    return version !== null && range.test(version);
  };
  const selection: Selection = { name, tag };
  if (flags.since !== undefined) {
    const ms = parseDuration(flags.since);
    if (ms === undefined) throw ReplicateErrors.BAD_FILTER('--since', flags.since, 'expected a duration such as "36h" or "7d"');
    selection.since = now - ms;
  }
  if (flags.platform !== undefined) {
    const parts = flags.platform.split('/');
    if (parts.length < 2 || parts.length > 3 || parts.some((p) => !/^[a-z0-9_.-]{1,32}$/.test(p))) {
      throw ReplicateErrors.BAD_FILTER('--platform', flags.platform, 'expected os/arch or os/arch/variant, e.g. linux/arm64');
    }
    selection.platform = { os: parts[0]!, architecture: parts[1]!, ...(parts[2] ? { variant: parts[2] } : {}) };
  }
  return selection;
}

function check(flag: string, text: string): string {
  if (!text || text.length > MAX) throw ReplicateErrors.BAD_FILTER(flag, text, `expected at most ${MAX} characters`);
  return text;
}

/** True when an index entry's platform is `wanted` (variant compared only when asked for). */
export function platformMatches(entry: Record<string, unknown> | undefined, wanted: Platform): boolean {
  if (!entry) return false;
  return entry.os === wanted.os && entry.architecture === wanted.architecture && (wanted.variant === undefined || entry.variant === wanted.variant);
}
