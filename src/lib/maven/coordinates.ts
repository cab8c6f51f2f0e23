// Parses paths of a Maven 2 repository layout (group/as/dirs/artifactId/version/file) into
// coordinates, and rejects anything else before a storage key is built from it: every segment
// is checked against a conservative character set, so traversal, encoded characters and empty
// segments never reach storage. https://maven.apache.org/repositories/layout.html
import { MavenErrors } from './errors.js';

export const CHECKSUM_ALGORITHMS = ['md5', 'sha1', 'sha256', 'sha512'] as const;
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];
export const HEX_LENGTHS: Record<ChecksumAlgorithm, number> = { md5: 32, sha1: 40, sha256: 64, sha512: 128 };
export const METADATA_FILE = 'maven-metadata.xml';

export interface ArtifactCoordinate {
  groupPath: string[];
  artifactId: string;
}

export type MavenPath =
  | { kind: 'file'; artifact: ArtifactCoordinate; version: string; filename: string; checksum?: ChecksumAlgorithm }
  | { kind: 'metadata'; dir: string[]; checksum?: ChecksumAlgorithm }
  | { kind: 'directory'; segments: string[] };

const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
const VERSION = /^[A-Za-z0-9_][A-Za-z0-9_.+-]*$/;
/** A group directory of a name: a groupId's dots are directories. */
const GROUP_SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9_-]*$/;
const MAX_SEGMENT = 200;
const TIMESTAMPED = /^(\d{8}\.\d{6})-(\d+)$/;

/** groupId as Maven writes it ("org.example"). */
export const groupIdOf = (a: ArtifactCoordinate): string => a.groupPath.join('.');
/** The access-control and storage name: the group/artifact path form ("org/example/app"). */
export const artifactName = (a: ArtifactCoordinate): string => [...a.groupPath, a.artifactId].join('/');
export const isSnapshot = (version: string): boolean => version.endsWith('-SNAPSHOT');
/** The artifact's name in listings and `nora delete` references ("org.example:app"). */
export const mavenName = (a: ArtifactCoordinate): string => `${groupIdOf(a)}:${a.artifactId}`;

/**
 * Reads "groupId:artifactId", or the path form events and access rules use ("org/example/app");
 * undefined when it is neither (nothing can be stored under it).
 */
export function parseMavenName(name: string): ArtifactCoordinate | undefined {
  const colon = name.split(':');
  const segments = colon.length === 2 ? [...colon[0]!.split('.'), colon[1]!] : colon.length === 1 ? name.split('/') : [];
  const artifactId = segments.pop();
  const fits = (s: string, pattern: RegExp) => s.length <= MAX_SEGMENT && pattern.test(s) && s !== '__proto__';
  return artifactId !== undefined && segments.length > 0 && segments.every((s) => fits(s, GROUP_SEGMENT)) && fits(artifactId, NAME) ? { groupPath: segments, artifactId } : undefined;
}

function checkSegment(path: string, segment: string, pattern: RegExp, what: string): void {
  if (segment.length > MAX_SEGMENT) throw MavenErrors.MAVEN_INVALID_PATH(path, `${what} is longer than ${MAX_SEGMENT} characters`);
  if (!pattern.test(segment) || segment === '__proto__') {
    throw MavenErrors.MAVEN_INVALID_PATH(path, `${what} ${JSON.stringify(segment)} may hold only letters, digits, '_', '-', '.'${pattern === VERSION ? ", '+'" : ''} and must not start with '.' or '-'`);
  }
}

function splitChecksum(filename: string): { base: string; checksum?: ChecksumAlgorithm } {
  for (const algorithm of CHECKSUM_ALGORITHMS) {
    if (filename.endsWith(`.${algorithm}`) && filename.length > algorithm.length + 1) {
      return { base: filename.slice(0, -(algorithm.length + 1)), checksum: algorithm };
    }
  }
  return { base: filename };
}

/** True when `filename` belongs to artifactId:version (the layout's file naming rule). */
export function fileBelongs(artifactId: string, version: string, filename: string): boolean {
  const rest = (prefix: string) => (filename.startsWith(prefix) ? filename.slice(prefix.length) : undefined);
  const follows = (tail: string | undefined) => tail !== undefined && /^[.-]./.test(tail);
  if (follows(rest(`${artifactId}-${version}`))) return true;
  if (!isSnapshot(version)) return false;
  const tail = rest(`${artifactId}-${version.slice(0, -'-SNAPSHOT'.length)}-`);
  const match = tail === undefined ? null : /^(\d{8}\.\d{6}-\d+)(.*)$/.exec(tail);
  return match !== null && follows(match[2]);
}

/**
 * Parses a path below /maven2/ exactly as sent (still percent-encoded: '%' is refused, so no
 * decoding trick can smuggle a separator). '' or a trailing '/' is a directory.
 */
export function parseMavenPath(path: string): MavenPath {
  if (path === '' ) return { kind: 'directory', segments: [] };
  const directory = path.endsWith('/');
  const segments = (directory ? path.slice(0, -1) : path).split('/');
  if (segments.some((s) => s === '')) throw MavenErrors.MAVEN_INVALID_PATH(path, 'empty path segment');
  if (directory) {
    segments.forEach((s) => checkSegment(path, s, VERSION, 'directory'));
    return { kind: 'directory', segments };
  }
  const last = segments.at(-1)!;
  const { base, checksum } = splitChecksum(last);
  if (base === METADATA_FILE) {
    const dir = segments.slice(0, -1);
    if (dir.length === 0) throw MavenErrors.MAVEN_INVALID_PATH(path, 'maven-metadata.xml belongs to a group, artifact or version directory');
    dir.forEach((s) => checkSegment(path, s, VERSION, 'directory'));
    return { kind: 'metadata', dir, ...(checksum ? { checksum } : {}) };
  }
  if (segments.length < 4) throw MavenErrors.MAVEN_INVALID_PATH(path, 'expected group/path/artifactId/version/artifactId-version[-classifier].extension');
  const groupPath = segments.slice(0, -3);
  const [artifactId, version] = segments.slice(-3, -1) as [string, string];
  groupPath.forEach((s) => checkSegment(path, s, NAME, 'group segment'));
  checkSegment(path, artifactId, NAME, 'artifactId');
  checkSegment(path, version, VERSION, 'version');
  checkSegment(path, last, VERSION, 'file name');
  if (!fileBelongs(artifactId, version, base)) {
    throw MavenErrors.MAVEN_INVALID_PATH(path, `file name must start with "${artifactId}-${version}" followed by "." or "-classifier"`);
  }
  return { kind: 'file', artifact: { groupPath, artifactId }, version, filename: base, ...(checksum ? { checksum } : {}) };
}

export interface SnapshotFile {
  /** yyyyMMdd.HHmmss */
  timestamp: string;
  buildNumber: number;
  classifier: string;
  extension: string;
}

/** Reads the timestamp, build number, classifier and extension of a timestamped SNAPSHOT file name. */
export function parseSnapshotFile(artifactId: string, version: string, filename: string): SnapshotFile | undefined {
  if (!isSnapshot(version)) return undefined;
  const prefix = `${artifactId}-${version.slice(0, -'-SNAPSHOT'.length)}-`;
  if (!filename.startsWith(prefix)) return undefined;
  const match = /^(\d{8}\.\d{6}-\d+)(?:-([^.]+))?\.(.+)$/.exec(filename.slice(prefix.length));
  const stamp = match && TIMESTAMPED.exec(match[1]!);
  if (!match || !stamp) return undefined;
  return { timestamp: stamp[1]!, buildNumber: Number(stamp[2]), classifier: match[2] ?? '', extension: match[3]! };
}

/** Parses a checksum file body ("<hex>" or "<hex>  <file name>"); undefined when it is not one. */
export function parseChecksumBody(algorithm: ChecksumAlgorithm, body: string): string | undefined {
  const token = body.trim().split(/\s+/, 1)[0]?.toLowerCase() ?? '';
  return token.length === HEX_LENGTHS[algorithm] && /^[a-f0-9]+$/.test(token) ? token : undefined;
}

/** Parses "group/path/artifactId/version" (a trailing '/' allowed): what DELETE removes. */
export function parseVersionPath(path: string): { artifact: ArtifactCoordinate; version: string } {
  const segments = path.replace(/\/$/, '').split('/');
  if (segments.length < 3 || segments.some((s) => s === '')) throw MavenErrors.MAVEN_INVALID_PATH(path, 'expected group/path/artifactId/version');
  const groupPath = segments.slice(0, -2);
  const [artifactId, version] = segments.slice(-2) as [string, string];
  groupPath.forEach((s) => checkSegment(path, s, NAME, 'group segment'));
  checkSegment(path, artifactId, NAME, 'artifactId');
  checkSegment(path, version, VERSION, 'version');
  return { artifact: { groupPath, artifactId }, version };
}
