// What the "listening" line says besides the URL: which store (the absolute data directory or
// the bucket), which config file, and every enabled upstream by name and URL (credentials
// removed), so an operator sees at a glance what this process serves from where.
import path from 'node:path';
import type { NoraConfig } from '../lib/config/schema.js';
import { storeLocation } from '../lib/storage/open-store.js';

const UPSTREAM_SECTIONS = ['docker', 'npm', 'maven', 'pypi', 'cargo'] as const;

/** The URL without user:password@ (never logged). */
const withoutCredentials = (url: string): string => url.replace(/^((?:sparse\+)?[a-z]+:\/\/)[^/@\s]*@/i, '$1');

function hostOf(url: string): string {
  try {
    return new URL(url.replace(/^sparse\+/, '')).host;
  } catch {
    return url;
  }
}

/** "npm npmjs=https://registry.npmjs.org", one per enabled upstream, in section order. */
export function enabledUpstreams(config: NoraConfig): string[] {
  return UPSTREAM_SECTIONS.flatMap((section) => config[section].upstreams
    .filter((upstream) => upstream.url !== '')
    .map((upstream) => `${section}:${upstream.name || hostOf(upstream.url)}=${withoutCredentials(upstream.url)}`));
}

export function startFields(config: NoraConfig, file: string | undefined): Record<string, unknown> {
  const store = config.storage.backend === 'fs' ? { data_dir: storeLocation(config.storage) } : { store: storeLocation(config.storage) };
  return {
    storage: config.storage.backend,
    ...store,
    config_file: file ? path.resolve(file) : 'none (defaults, NORA_* variables and flags)',
    upstreams: enabledUpstreams(config),
  };
}
