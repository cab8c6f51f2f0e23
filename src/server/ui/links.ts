// URLs of the UI's pages. Names travel in the query string (they contain slashes, @ and colons),
// so every page has one fixed path and the router never sees a hostile name.
import { FORMATS, type FormatName } from '../../lib/formats/format-service.js';
import { queryString } from './layout.js';

export const isFormat = (text: string): text is FormatName => (FORMATS as readonly string[]).includes(text);

/** The page of one package, repository, artifact, crate or project. */
export const nameUrl = (format: FormatName, name: string): string => `/ui/${format}/package${queryString({ name })}`;

/** The page of one tag or version. */
export const versionUrl = (format: FormatName, name: string, version: string): string => `/ui/${format}/version${queryString({ name, version })}`;

/** A name as an event carries it (the access name) in the format's own spelling: Maven "org/example/lib" is "org.example:lib". */
export function nameFromAccessName(format: FormatName, accessName: string): string {
  if (format !== 'maven') return accessName;
  const slash = accessName.lastIndexOf('/');
  return slash < 0 ? accessName : `${accessName.slice(0, slash).replaceAll('/', '.')}:${accessName.slice(slash + 1)}`;
}
