// Where NORA serves distribution files: /pypi/files/<normalized project>/<filename>, and the
// PEP 658 metadata file next to each wheel at the same URL plus ".metadata".
export const FILES_PATH = '/pypi/files/';
export const METADATA_SUFFIX = '.metadata';

/** The path of a file, for a link (filename percent-encoded). */
export function encodeFilePath(project: string, filename: string): string {
  return `${FILES_PATH}${project}/${encodeURIComponent(filename)}`;
}
