// Compiled permission sets: does a set of `ACTION:[FORMAT:]GLOB` permissions allow an
// AccessRequest? Globs are picomatch (`*` within a segment, `**` across; bare `*`/`**` match
// everything). A request on the registry-wide name "" is allowed when some permission grants the
// action on that format at all (listing endpoints then filter what they show, name by name).
import picomatch from 'picomatch';
import { simpleGlob, simpleGlobProblem } from '../glob/simple-glob.js';
import type { AccessRequest } from './access.js';
import { FORMATS, isLiteralName, isSimpleGlob, parsePermission, type PermissionSpec } from './permission-syntax.js';

interface Compiled extends PermissionSpec {
  test: (name: string) => boolean;
}

const ALL = new Set(['*', '**']);

export class PermissionSet {
  private readonly compiled: Compiled[];

  constructor(readonly permissions: readonly string[]) {
    this.compiled = permissions.map((text) => {
      const spec = parsePermission(text);
      if (typeof spec === 'string') throw new Error(`invalid permission ${spec}`);
      const test = ALL.has(spec.glob) ? () => true : compileGlob(spec.glob);
      return { ...spec, test };
    });
  }

  allows(request: AccessRequest): boolean {
    return this.compiled.some((p) => {
      if (p.format !== undefined && p.format !== request.format) return false;
      // admin implies every action.
      if (p.action !== request.action && p.action !== 'admin') return false;
      return request.name === '' ? true : p.test(request.name) || inherited(p, request.name);
    });
  }

  allowsAll(requests: readonly AccessRequest[]): boolean {
    return requests.every((r) => this.allows(r));
  }
}

/** `org/**` also matches "org" itself (org → project → repo inheritance). */
/**
 * Simple globs (any token's, since tokens may hold only `*`, `**` and `?`) are matched without
 * regular expressions: picomatch's backtracking made "acme/*a*a*a*ab" cost seconds per request
 * against a long name. Rich syntax (braces, classes) comes only from the operator's config.
 */
function compileGlob(glob: string): (name: string) => boolean {
  return simpleGlobProblem(glob) === undefined ? simpleGlob(glob) : picomatch(glob, { dot: true });
}

function inherited(p: Compiled, name: string): boolean {
  return p.glob.endsWith('/**') && p.glob.slice(0, -3) === name;
}

/**
 * Undefined when every permission in `wanted` is implied by `owner` (a token's list against its
 * creator's), else why not. A name is checked as a name against the owner's globs; a glob is
 * accepted only when it provably matches nothing the owner's globs do not: the owner holds it
 * verbatim, or it uses only `*`, `**` and `?` inside an owner's `P/**` or `P/*`. Anything richer
 * (`a|b` alternation, braces, extglobs, classes) would let a name-shaped string match other
 * names, so it is refused.
 */
export function isSubset(wanted: readonly string[], owner: PermissionSet): string | undefined {
  for (const text of wanted) {
    const spec = parsePermission(text);
    if (typeof spec === 'string') return spec;
    const formats = spec.format ? [spec.format] : [...FORMATS];
    const verbatim = owner.permissions.some((o) => o === text || o === `${spec.action}:${spec.glob}` || o === `admin:${spec.glob}` || o === 'admin:*' || o === 'admin:**');
    if (verbatim) continue;
    if (!isSimpleGlob(spec.glob)) return `"${text}": a token's globs may use only *, ** and ? unless the owner holds that exact permission`;
    if (isLiteralName(spec.glob) && formats.every((format) => owner.allows({ action: spec.action, format, name: spec.glob }))) continue;
    if (owner.permissions.some((o) => coversGlob(o, spec))) continue;
    return `"${text}" is not among the owner's permissions`;
  }
  return undefined;
}

/** Whether the owner permission covers the simple glob `wanted` (see isSubset). */
function coversGlob(ownerText: string, wanted: PermissionSpec): boolean {
  const o = parsePermission(ownerText);
  if (typeof o === 'string' || !isSimpleGlob(o.glob)) return false;
  if (o.action !== wanted.action && o.action !== 'admin') return false;
  if (o.format !== undefined && o.format !== wanted.format) return false;
  // A bare `*` or `**` matches every name, so it covers every glob.
  if (ALL.has(o.glob) || o.glob === wanted.glob) return true;
  if (o.glob.endsWith('/**')) return wanted.glob.startsWith(o.glob.slice(0, -2));
  if (o.glob.endsWith('/*')) {
    const prefix = o.glob.slice(0, -1);
    const rest = wanted.glob.slice(prefix.length);
    return wanted.glob.startsWith(prefix) && rest !== '' && !rest.includes('/') && !rest.includes('**');
  }
  return false;
}
