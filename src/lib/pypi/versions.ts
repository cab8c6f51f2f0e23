// PEP 440 versions: parsing, the canonical spelling ("1.0-RC1" is "1.0rc1"), and the release
// key that says whether two spellings name one release. PEP 440 compares release segments
// padded with zeros, so 1.0 == 1.0.0: uploads, listings, reads, deletes and yanks all group
// files by `releaseKey` (as PyPI's canonical version does), never by the string as typed.
// https://packaging.python.org/en/latest/specifications/version-specifiers/#normalization

const PEP440 = new RegExp(
  '^v?(?:(?<epoch>[0-9]+)!)?(?<release>[0-9]+(?:\\.[0-9]+)*)' +
  '(?:[-_.]?(?<preL>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?<preN>[0-9]+)?)?' +
  '(?:-(?<postN1>[0-9]+)|[-_.]?(?<postL>post|rev|r)[-_.]?(?<postN2>[0-9]+)?)?' +
  '(?:[-_.]?(?<devL>dev)[-_.]?(?<devN>[0-9]+)?)?' +
  '(?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?$',
  'i',
);

const PRE: Record<string, string> = { alpha: 'a', a: 'a', beta: 'b', b: 'b', c: 'rc', rc: 'rc', pre: 'rc', preview: 'rc' };
const MAX_VERSION = 128;

const int = (text: string | undefined): string => String(BigInt(text ?? '0'));

function spell(text: string, trimZeros: boolean): string | undefined {
  if (text.length > MAX_VERSION) return undefined;
  const m = PEP440.exec(text.trim());
  if (!m?.groups) return undefined;
  const g = m.groups;
  let out = g.epoch && BigInt(g.epoch) !== 0n ? `${int(g.epoch)}!` : '';
  const release = g.release!.split('.').map((part) => int(part));
  while (trimZeros && release.length > 1 && release[release.length - 1] === '0') release.pop();
  out += release.join('.');
  if (g.preL) out += `${PRE[g.preL.toLowerCase()]}${int(g.preN)}`;
  if (g.postN1 !== undefined) out += `.post${int(g.postN1)}`;
  else if (g.postL) out += `.post${int(g.postN2)}`;
  if (g.devL) out += `.dev${int(g.devN)}`;
  if (g.local) out += `+${g.local.toLowerCase().replace(/[-_]/g, '.')}`;
  return out;
}

/** The canonical spelling of a PEP 440 version, or undefined when `text` is not one. */
export function canonicalVersion(text: string): string | undefined {
  return spell(text, false);
}

/** What identifies a release: the canonical spelling without trailing ".0" release parts (1.0.0 -> 1); undefined when not a version. */
export function releaseKey(text: string): string | undefined {
  return spell(text, true);
}

/** True when both are valid versions of one release under PEP 440 (1.0 == 1.0.0 == v1.0). */
export function sameRelease(a: string, b: string): boolean {
  const ka = releaseKey(a);
  return ka !== undefined && ka === releaseKey(b);
}

/** True when both are valid versions with the same canonical spelling (1.0 and 1.0.0 are not: see sameRelease). */
export function sameVersion(a: string, b: string): boolean {
  const ca = canonicalVersion(a);
  return ca !== undefined && ca === canonicalVersion(b);
}
