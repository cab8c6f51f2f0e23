// Group-level maven-metadata.xml: the plugin prefixes of a group (`mvn <prefix>:<goal>`). The
// client computes it when it deploys a maven-plugin and uploads it to the group directory; NORA
// keeps each listed plugin whose artifact is deployed locally in the group's document and serves
// the metadata from there. https://maven.apache.org/repositories/metadata.html
import type { ObjectStore } from '../storage/object-store.js';
import { readDocument, updateDocument } from '../storage/documents.js';
import { readArtifact } from './artifact-document.js';
import { first, xmlBlocks, xmlTexts } from './xml-scan.js';

export interface PluginEntry {
  name: string;
  prefix: string;
  artifactId: string;
}

interface GroupDocument {
  plugins: PluginEntry[];
  updated: string;
}

const groupKey = (dir: string[]) => `repos/maven/local/${dir.join('/')}/@group.json`;
const escape = (text: string): string => text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
const unescape = (text: string): string => text.replace(/&(lt|gt|amp|quot|apos);/g, (_m, e: string) => ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" })[e]!);

/** The <plugin> entries of a client-sent metadata document (empty when it lists none). */
export function readPlugins(xml: string): PluginEntry[] {
  const block = first(xmlBlocks(xml, 'plugins')) ?? '';
  return [...xmlBlocks(block, 'plugin')].flatMap((plugin) => {
    const field = (name: string) => first(xmlTexts(plugin, name));
    const [prefix, artifactId] = [field('prefix'), field('artifactId')];
    if (!prefix || !artifactId || !/^[A-Za-z0-9_.-]+$/.test(prefix) || !/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(artifactId)) return [];
    return [{ name: unescape(field('name') ?? artifactId), prefix, artifactId }];
  });
}

const samePlugin = (a: PluginEntry | undefined, b: PluginEntry) => a?.prefix === b.prefix && a.name === b.name;

/**
 * Records the plugins of `xml` that are deployed locally under group directory `dir`; returns
 * the entries that changed what the group serves (new, or a new prefix or name). Re-sending the
 * same metadata, as mvn does on every plugin deploy, changes nothing and writes nothing.
 */
export async function recordPlugins(store: ObjectStore, dir: string[], xml: string): Promise<PluginEntry[]> {
  const plugins: PluginEntry[] = [];
  for (const plugin of readPlugins(xml)) {
    if (await readArtifact(store, { groupPath: dir, artifactId: plugin.artifactId })) plugins.push(plugin);
  }
  let changed: PluginEntry[] = [];
  if (plugins.length === 0) return changed;
  await updateDocument<GroupDocument>(store, groupKey(dir), (current) => {
    const byArtifact = new Map((current?.plugins ?? []).map((p) => [p.artifactId, p]));
    changed = plugins.filter((plugin) => !samePlugin(byArtifact.get(plugin.artifactId), plugin));
    if (changed.length === 0) return undefined;
    for (const plugin of changed) byArtifact.set(plugin.artifactId, plugin);
    return { plugins: [...byArtifact.values()].sort((a, b) => a.artifactId.localeCompare(b.artifactId)), updated: new Date().toISOString() };
  });
  return changed;
}

/** The group metadata of `dir`, or undefined when no local plugin was recorded there. */
export async function groupMetadata(store: ObjectStore, dir: string[]): Promise<{ xml: string; modified: Date } | undefined> {
  const doc = (await readDocument<GroupDocument>(store, groupKey(dir)))?.value;
  if (!doc || doc.plugins.length === 0) return undefined;
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<metadata>', '  <plugins>',
    ...doc.plugins.flatMap((p) => ['    <plugin>', `      <name>${escape(p.name)}</name>`, `      <prefix>${escape(p.prefix)}</prefix>`, `      <artifactId>${escape(p.artifactId)}</artifactId>`, '    </plugin>']),
    '  </plugins>', '</metadata>'];
  return { xml: lines.join('\n') + '\n', modified: new Date(doc.updated) };
}
