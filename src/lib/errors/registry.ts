// The one registry of error codes. Every catalog entry registers here when its module loads, so
// a code means one HTTP status everywhere: defining it again with another status throws at load
// (give the variant its own code and let the protocol's renderer map it onto a wire code).
// The README's error table lists what catalogs.ts names (test/unit/errors/readme.test.ts).

export interface RegisteredError {
  readonly code: string;
  readonly status: number;
  readonly summary: string;
}

const statusOf = new Map<string, number>();
const entries: RegisteredError[] = [];

/** Records `entry`; throws when its code is already registered with a different status. */
export function registerError(entry: RegisteredError): void {
  const known = statusOf.get(entry.code);
  if (known !== undefined && known !== entry.status) {
    throw new Error(`error code ${entry.code} is defined with status ${known} and again with ${entry.status}: a code has one status; give the variant its own code`);
  }
  statusOf.set(entry.code, entry.status);
  entries.push(entry);
}

/** Every entry registered so far (all catalogs whose modules are loaded), in load order. */
export function registeredErrors(): readonly RegisteredError[] {
  return entries;
}
