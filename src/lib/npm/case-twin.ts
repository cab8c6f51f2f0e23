// npm names are case-insensitive for new packages: "pwned" must not appear next to a published
// "PWNED" (a name npm allowed once and NORA keeps serving). Looked up only when a package is
// created, by listing the published names; the new name is lower case, so two creations cannot
// race into a pair that differs only in case.
import type { LocalPackages } from './local-packages.js';
import type { PackageName } from './package-name.js';

/** The published name that equals `name` but for case, if there is one. */
export async function caseTwin(local: LocalPackages, name: PackageName): Promise<string | undefined> {
  const wanted = name.full.toLowerCase();
  for await (const other of local.names()) {
    if (other.full !== name.full && other.full.toLowerCase() === wanted) return other.full;
  }
  return undefined;
}
