// Project names as PEP 503 and PEP 508 define them: the normalized form (lowercase, runs of
// "-", "_", "." become one "-") is the project's identity in URLs, storage keys and access
// checks; anything that is not a valid name is refused before it reaches a storage key.
// https://peps.python.org/pep-0503/#normalized-names
// https://packaging.python.org/en/latest/specifications/name-normalization/

const VALID_NAME = /^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$/i;
const NORMALIZED = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const MAX_NAME = 200;

/** PEP 503 normalization; the input need not be valid. */
export function normalizeName(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase();
}

/** True for a valid project name (PEP 508), in any spelling. */
export function isValidName(name: string): boolean {
  return name.length <= MAX_NAME && VALID_NAME.test(name);
}

/** True when `name` is valid and already in its normalized form (no "--" runs). */
export function isNormalizedName(name: string): boolean {
  return name.length <= MAX_NAME && NORMALIZED.test(name) && !name.includes('--');
}
