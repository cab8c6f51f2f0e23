// The npm CLI publishing names npm's rules forbid for new packages (it sends upper case and core
// module names with at most a warning) and a name that differs only in case from a package an
// older NORA stored: each is refused with the reason npm prints, and the stored package keeps
// working, including new versions of it.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/lib/config/loader.js';
import { parsePackageName } from '../../../src/lib/npm/package-name.js';
import { parsePublishBody } from '../../../src/lib/npm/publish-body.js';
import { createServices } from '../../../src/lib/services.js';
import { npmSandbox, type NpmSandbox } from '../../helpers/npm-cli.js';
import { publishBody, tarballBytes } from '../../helpers/npm-fixtures.js';
import { startNora, type NoraServer } from '../../helpers/nora-process.js';

const LEGACY = 'LegacyPkg';
let dir: string;
let server: NoraServer;
let sb: NpmSandbox;

/** Stores LEGACY in `dataDir` the way an older NORA did, bypassing today's name rules. */
async function storeLegacy(dataDir: string): Promise<void> {
  const { config } = loadConfig({ env: {}, cwd: dataDir, flags: { 'storage.backend': 'fs', 'storage.data_dir': dataDir, 'npm.upstream': '', 'log.level': 'silent' } });
  const services = await createServices(config);
  try {
    const name = parsePackageName(LEGACY);
    const tarball = tarballBytes(LEGACY);
    const blob = await services.blobs.write(Readable.from([tarball]), { algorithm: 'sha512', extraHashes: ['sha1'] });
    await services.formats.npm.registry.local.publish(name, parsePublishBody(name, publishBody(LEGACY, { tarball }), blob));
  } finally {
    await services.close();
  }
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'nora-npm-names-'));
  await storeLegacy(dir);
  server = await startNora({ dataDir: dir, env: { NORA_NPM_UPSTREAM: '' } });
  sb = await npmSandbox(server.url);
});
afterAll(async () => { await server?.stop(); await sb?.cleanup(); await rm(dir, { recursive: true, force: true }); });

describe('npm CLI and the names of new packages', { timeout: 240_000 }, () => {
  it.each([
    ['PWNED', /E400[\s\S]*invalid package name "PWNED": new package names must be lower case/],
    ['http', /E400[\s\S]*invalid package name "http": the name of a Node.js core module is reserved/],
    ['a~b', /E400[\s\S]*must not contain any of ~'!\(\)\*/],
    [LEGACY.toLowerCase(), /E409[\s\S]*"legacypkg" differs only in case from the published package "LegacyPkg"/],
  ])('npm publish %s is refused with the reason', async (name, reason) => {
    const result = await sb.npm(['publish'], await sb.writePackage({ name, version: '1.0.0', main: 'index.js' }));
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(reason);
    expect((await fetch(`${server.url}/npm/${name}`)).status).toBe(404);
  });

  it('keeps serving the stored name and takes its new versions', async () => {
    expect((await sb.npm(['view', LEGACY, 'version'])).stdout.trim()).toBe('1.0.0');
    const next = await sb.npm(['publish'], await sb.writePackage({ name: LEGACY, version: '1.1.0', main: 'index.js' }));
    expect(next.code, next.stderr).toBe(0);
    expect(JSON.parse((await sb.npm(['view', LEGACY, 'versions', '--json'])).stdout)).toEqual(['1.0.0', '1.1.0']);
  });
});
