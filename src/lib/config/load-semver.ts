// semver, evaluated on first use: only a replication rule or `nora replicate --semver` needs it,
// yet the configuration schema and the replication runner load at every start, and evaluating
// semver took ~25 ms of CPU there (issue 23). Synchronous, because schema checks are; esbuild
// turns the require into a lazy init inside the bundle.
type Semver = typeof import('semver');

let semver: Semver | undefined;

export function loadSemver(): Semver {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (semver ??= require('semver') as Semver);
}
