// One error registry: a code means one status everywhere, every module that defines errors is a
// catalog the docs list, and errors built outside a catalog agree with it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defineError } from '../../../src/lib/errors/catalog.js';
import { ERROR_CATALOGS } from '../../../src/lib/errors/catalogs.js';
import { registeredErrors } from '../../../src/lib/errors/registry.js';

const src = path.join(__dirname, '..', '..', '..', 'src');
const sources = (function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : name.endsWith('.ts') ? [full] : [];
  });
})(src);

describe('the error registry', () => {
  it('refuses a code defined again with another status, when the module loads', async () => {
    await expect(import('./fixtures/clashing-catalog.js')).rejects.toThrow(/BLOB_UNKNOWN is defined with status 404 and again with 400/);
    defineError('REGISTRY_TEST_SAME', 409, 'once', () => 'x');
    expect(() => defineError('REGISTRY_TEST_SAME', 409, 'the same status again is allowed', () => 'x')).not.toThrow();
  });

  it('has every module that defines errors in ERROR_CATALOGS (so the README lists it)', async () => {
    const defining = sources.filter((file) => /\b(defineError|registerError)\(/.test(readFileSync(file, 'utf8')) && !file.endsWith(`errors${path.sep}registry.ts`));
    for (const file of defining) await import(file);
    const key = (e: { code: string; status: number; summary: string }) => `${e.code} (${e.status}): ${e.summary}`;
    const listed = new Set(ERROR_CATALOGS.flatMap((c) => Object.values(c.errors).map(key)));
    expect(registeredErrors().map(key).filter((k) => !listed.has(k) && !k.startsWith('REGISTRY_TEST_'))).toEqual([]);
  });

  it('errors built without a catalog use a registered code with its status', async () => {
    await import('../../../src/lib/errors/catalogs.js');
    const status = new Map(registeredErrors().map((e) => [e.code, e.status]));
    const found: string[] = [];
    for (const file of sources) {
      for (const match of readFileSync(file, 'utf8').matchAll(/new (?:NoraError|StorageError)\(\s*'([A-Z0-9_]+)',\s*([^,]+),/g)) {
        const [, code, given] = match as unknown as [string, string, string];
        if (status.get(code) !== Number(given)) found.push(`${path.relative(src, file)}: ${code} with status ${given} (registry: ${status.get(code) ?? 'none'})`);
      }
    }
    expect(found).toEqual([]);
  });
});
