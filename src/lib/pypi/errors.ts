// PyPI's error codes. Messages are written for the person reading twine's or pip's output:
// twine prints the HTTP reason phrase, and `twine upload --skip-existing` recognises a
// duplicate only by a 400 whose message contains "already exist".
import { defineError } from '../errors/catalog.js';

export const PypiErrors = {
  INVALID_NAME: defineError('PYPI_INVALID_NAME', 400, 'A project name is not a valid PEP 508 name.',
    (name: string) => `invalid project name ${JSON.stringify(name.slice(0, 100))}: use letters, digits, ".", "_" and "-", starting and ending with a letter or digit`),
  INVALID_VERSION: defineError('PYPI_INVALID_VERSION', 400, 'A version is not a valid PEP 440 version.',
    (version: string) => `invalid version ${JSON.stringify(version.slice(0, 100))}: see https://peps.python.org/pep-0440/`),
  INVALID_FILENAME: defineError('PYPI_INVALID_FILENAME', 400, 'A filename is not a wheel or sdist filename for the declared project and version.',
    (filename: string, why: string) => `invalid distribution filename ${JSON.stringify(filename.slice(0, 260))}: ${why}`),
  MISSING_FIELD: defineError('PYPI_MISSING_FIELD', 400, 'An upload lacks a required form field.',
    (field: string) => `missing required form field "${field}"`),
  BAD_FIELD: defineError('PYPI_BAD_FIELD', 400, 'An upload form field has a value NORA cannot accept.',
    (field: string, why: string) => `invalid form field "${field}": ${why}`),
  BAD_ACTION: defineError('PYPI_BAD_ACTION', 400, 'The legacy upload API was called with an action other than file_upload.',
    (action: string) => `unsupported :action ${JSON.stringify(action.slice(0, 50))}: only "file_upload" is supported`),
  NOT_MULTIPART: defineError('PYPI_NOT_MULTIPART', 415, 'An upload is not multipart/form-data.',
    (contentType: string) => `uploads must be multipart/form-data (as twine sends them), not ${JSON.stringify(contentType.slice(0, 100))}`),
  BAD_MULTIPART: defineError('PYPI_BAD_MULTIPART', 400, 'An upload body is not a complete multipart/form-data body.',
    (why: string) => `malformed upload body: ${why}`),
  FILE_EXISTS: defineError('PYPI_FILE_EXISTS', 400, 'A file with this name was already uploaded; files are immutable.',
    (filename: string) => `File already exists: ${filename} was already uploaded to this index; upload a new version instead`),
  BAD_WHEEL: defineError('PYPI_BAD_WHEEL', 400, 'An uploaded wheel is not a readable zip with a .dist-info/METADATA file.',
    (filename: string, why: string) => `invalid wheel ${filename}: ${why}`),
  BAD_SDIST: defineError('PYPI_BAD_SDIST', 400, 'An uploaded sdist is not a readable .tar.gz or .zip with a top-level PKG-INFO file.',
    (filename: string, why: string) => `invalid sdist ${filename}: ${why}`),
  METADATA_MISMATCH: defineError('PYPI_METADATA_MISMATCH', 400, "A file's core metadata (METADATA, PKG-INFO) names another project or version than the upload form.",
    (filename: string, where: string, found: { name?: string | undefined; version?: string | undefined }, declared: { name: string; version: string }) =>
      `${filename}: its ${where} names ${shown('project', found.name)} ${shown('version', found.version)}, but the upload is for project "${declared.name}" version "${declared.version}"`),
  NOT_ACCEPTABLE: defineError('PYPI_NOT_ACCEPTABLE', 406, 'The client accepts none of the simple API content types.',
    (accept: string) => `none of the requested content types is available (${accept.slice(0, 200)}); NORA serves application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html and text/html`),
  UPSTREAM_FAILED: defineError('PYPI_UPSTREAM_FAILED', 502, 'The upstream index failed and nothing is cached.',
    (what: string, why: string) => `upstream index failed for ${what}: ${why}`),
  UPSTREAM_HASH_MISMATCH: defineError('PYPI_UPSTREAM_HASH_MISMATCH', 502, 'A file from the upstream does not match the hash its index page declares.',
    (filename: string) => `upstream file ${filename} does not match the sha256 its index page declares; it was not cached`),
};

/** A metadata value for a message: quoted and cut short, or "no <what>" when the header is missing. */
function shown(what: string, value: string | undefined): string {
  return value === undefined ? `no ${what}` : `${what} ${JSON.stringify(value.slice(0, 100))}`;
}
