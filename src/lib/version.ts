// NORA's own version, inlined from package.json at bundle time, and the git revision it was
// built from (a define set by scripts/build.mjs; "dev" when run from source, e.g. under vitest).
import pjson from '../../package.json';

declare const __NORA_REVISION__: string | undefined;

export const NORA_VERSION: string = pjson.version;
export const NORA_REVISION: string = typeof __NORA_REVISION__ === 'string' ? __NORA_REVISION__ : 'dev';

/** The line `nora --version` prints. */
export function versionLine(): string {
  return `nora/${NORA_VERSION} ${process.platform}-${process.arch} node-${process.version} revision ${NORA_REVISION}`;
}
