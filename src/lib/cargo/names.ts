// Crate names: the crates.io rules (ASCII letters, digits, - and _, starting with a letter, at
// most 64 characters, no reserved names), the normalised key under which `Foo_bar` and `foo-bar`
// are one crate, and the sparse index path of a name
// (https://doc.rust-lang.org/cargo/reference/registry-index.html#index-files).
import { CargoErrors } from './errors.js';

export const MAX_NAME_LENGTH = 64;
const NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;
/** Any name cargo may ask for from an upstream index (crates.io has a few legacy shapes). */
const LOOSE_NAME = /^[A-Za-z0-9_-]+$/;

/** Windows device names (unusable as file names) and the standard library's own crates. */
const RESERVED = new Set([
  'nul', 'con', 'prn', 'aux', 'clock$',
  ...Array.from({ length: 9 }, (_, i) => `com${i + 1}`),
  ...Array.from({ length: 9 }, (_, i) => `lpt${i + 1}`),
  'std', 'core', 'alloc', 'proc-macro', 'test',
]);

/** Why `name` cannot be published, or undefined when it can. */
export function crateNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'empty';
  if (name.length > MAX_NAME_LENGTH) return `longer than ${MAX_NAME_LENGTH} characters`;
  if (!NAME.test(name)) {
    return /^[A-Za-z0-9_-]+$/.test(name)
      ? 'must start with an ASCII letter'
      : 'only ASCII letters, digits, - and _ are allowed';
  }
  if (RESERVED.has(normalizeName(name))) return 'the name is reserved';
  return undefined;
}

/** Throws INVALID_CRATE_NAME unless `name` may be published. */
export function assertCrateName(name: string): void {
  const problem = crateNameProblem(name);
  if (problem) throw CargoErrors.INVALID_CRATE_NAME(name, problem);
}

/** True for names an index may be asked about (also reserved and legacy upstream names). */
export function isLookupName(name: string): boolean {
  return name.length > 0 && name.length <= MAX_NAME_LENGTH && LOOSE_NAME.test(name);
}

/** The key under which names differing only in case, - or _ are one crate. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replaceAll('_', '-');
}

/** The index file path of a crate, lowercase: 1/a, 2/ab, 3/a/abc, ab/cd/abcd. */
export function indexPath(name: string): string {
  const lower = name.toLowerCase();
  switch (lower.length) {
    case 1: return `1/${lower}`;
    case 2: return `2/${lower}`;
    case 3: return `3/${lower[0]}/${lower}`;
    default: return `${lower.slice(0, 2)}/${lower.slice(2, 4)}/${lower}`;
  }
}

/** The crate name an index path asks for (any case: lookups are case-insensitive), or undefined. */
export function parseIndexPath(path: string): string | undefined {
  const name = path.split('/').at(-1) ?? '';
  return isLookupName(name) && indexPath(name) === path.toLowerCase() ? name : undefined;
}

/** The `{prefix}` of a name in a dl template: its index directory (1, 2, 3/a, ab/cd), spelled as given. */
export function namePrefix(name: string): string {
  switch (name.length) {
    case 1: return '1';
    case 2: return '2';
    case 3: return `3/${name[0]}`;
    default: return `${name.slice(0, 2)}/${name.slice(2, 4)}`;
  }
}
