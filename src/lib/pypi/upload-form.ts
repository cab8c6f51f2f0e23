// Checks the metadata fields of a legacy upload (twine's multipart form) before any file byte
// is stored: action, name, version, the filename against both, and the declared digests.
// https://docs.pypi.org/api/upload/ (the legacy upload API), PEP 503 names, PEP 440 versions.
import { isValidName, normalizeName } from './names.js';
import { canonicalVersion, sameRelease } from './versions.js';
import { parseDistFilename, type DistFilename } from './filenames.js';
import { PypiErrors } from './errors.js';

export interface DeclaredDigests {
  sha256?: string;
  md5?: string;
  blake2_256?: string;
}

export interface PreparedUpload {
  /** The name as the client spelled it. */
  name: string;
  /** Normalized name: the project's identity. */
  project: string;
  version: string;
  filename: string;
  dist: DistFilename;
  digests: DeclaredDigests;
  requiresPython?: string;
}

const DIGEST_FIELDS = [['sha256_digest', 'sha256', 64], ['md5_digest', 'md5', 32], ['blake2_256_digest', 'blake2_256', 64]] as const;
const FILETYPES: Record<string, DistFilename['kind']> = { bdist_wheel: 'wheel', sdist: 'sdist' };

function required(fields: ReadonlyMap<string, string>, field: string): string {
  const value = fields.get(field)?.trim();
  if (!value) throw PypiErrors.MISSING_FIELD(field);
  return value;
}

/** Validates the fields received before the file part; throws the error twine will print. */
export function prepareUpload(fields: ReadonlyMap<string, string>, filename: string): PreparedUpload {
  const action = required(fields, ':action');
  if (action !== 'file_upload') throw PypiErrors.BAD_ACTION(action);
  const name = required(fields, 'name');
  if (!isValidName(name)) throw PypiErrors.INVALID_NAME(name);
  const version = required(fields, 'version');
  const canonical = canonicalVersion(version);
  if (canonical === undefined) throw PypiErrors.INVALID_VERSION(version);

  const dist = parseDistFilename(filename, name);
  if (!dist) throw PypiErrors.INVALID_FILENAME(filename, `expected ${normalizeName(name).replace(/-/g, '_')}-${version}.tar.gz or a wheel name (name-version-python-abi-platform.whl)`);
  if (normalizeName(dist.name) !== normalizeName(name)) throw PypiErrors.INVALID_FILENAME(filename, `the filename is for project "${dist.name}", not "${name}"`);
  if (!sameRelease(dist.version, version)) throw PypiErrors.INVALID_FILENAME(filename, `the filename is for version ${dist.version}, not ${version}`);
  const filetype = fields.get('filetype');
  if (filetype && FILETYPES[filetype] && FILETYPES[filetype] !== dist.kind) throw PypiErrors.BAD_FIELD('filetype', `"${filetype}" does not match ${filename}`);

  const digests: DeclaredDigests = {};
  for (const [field, key, length] of DIGEST_FIELDS) {
    const value = fields.get(field)?.trim().toLowerCase();
    if (!value) continue;
    if (value.length !== length || !/^[0-9a-f]+$/.test(value)) throw PypiErrors.BAD_FIELD(field, `expected ${length} hexadecimal digits`);
    digests[key] = value;
  }
  if (!digests.sha256 && !digests.md5 && !digests.blake2_256) throw PypiErrors.MISSING_FIELD('sha256_digest');
  // twine sends all three. BLAKE2b-256 has no OpenSSL implementation here and costs ~30 s per
  // 100 MiB in JavaScript; with a sha256 to verify it adds no assurance, so it is only checked
  // (and only recorded) when the client sent no sha256.
  if (digests.sha256) delete digests.blake2_256;

  const requiresPython = fields.get('requires_python')?.trim();
  if (requiresPython && (requiresPython.length > 500 || /[\0\r\n]/.test(requiresPython))) throw PypiErrors.BAD_FIELD('requires_python', 'too long or contains control characters');
  return { name, project: normalizeName(name), version, filename, dist, digests, ...(requiresPython ? { requiresPython } : {}) };
}
