// PEP 440 versions: parsing and the canonical spelling, so a filename's version and the
// version twine declares compare equal however either was written ("1.0-RC1" == "1.0rc1").
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

/** The canonical spelling of a PEP 440 version, or undefined when `text` is not one. */
export function canonicalVersion(text: string): string | undefined {
  if (text.length > MAX_VERSION) return undefined;
  const m = PEP440.exec(text.trim());
  if (!m?.groups) return undefined;
  const g = m.groups;
  let out = g.epoch && BigInt(g.epoch) !== 0n ? `${int(g.epoch)}!` : '';
  out += g.release!.split('.').map((part) => int(part)).join('.');
  if (g.preL) out += `${PRE[g.preL.toLowerCase()]}${int(g.preN)}`;
  if (g.postN1 !== undefined) out += `.post${int(g.postN1)}`;
  else if (g.postL) out += `.post${int(g.postN2)}`;
  if (g.devL) out += `.dev${int(g.devN)}`;
  if (g.local) out += `+${g.local.toLowerCase().replace(/[-_]/g, '.')}`;
  return out;
}

/** True when both are valid versions with the same canonical spelling. */
export function sameVersion(a: string, b: string): boolean {
  const ca = canonicalVersion(a);
  return ca !== undefined && ca === canonicalVersion(b);
}
