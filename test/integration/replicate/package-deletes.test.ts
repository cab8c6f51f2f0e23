// A push rule with delete = true propagates the deletion of a whole package: `npm unpublish
// --force` of every version at once on the source removes the package from the remote NORA, and
// a package published again afterwards is copied again.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../helpers/eventually.js';
import { npmSandbox, type NpmSandbox } from '../../helpers/npm-cli.js';
import { startNora, type NoraServer } from '../../helpers/nora-process.js';

const within = { timeoutMs: 120_000, intervalMs: 250 };
let work: string;
let remote: NoraServer;
let source: NoraServer;
let publisher: NpmSandbox;

const versions = async (base: string, name: string) => {
  const res = await fetch(`${base}/npm/${name.replace('/', '%2f')}`);
  return res.status === 200 ? Object.keys(((await res.json()) as { versions: Record<string, unknown> }).versions).sort() : [];
};

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'nora-package-deletes-'));
  remote = await startNora();
  const config = path.join(work, 'nora.toml');
  await writeFile(config, `[[replication]]\nname = "dc2"\nremote = "${remote.url}"\nformats = ["npm"]\ndelete = true\n`);
  source = await startNora({ args: ['--config', config] });
  publisher = await npmSandbox(source.url);
}, 60_000);

afterAll(async () => {
  await source?.stop();
  await remote?.stop();
  await publisher?.cleanup();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('delete = true and a whole package', () => {
  it('npm unpublish --force of the package removes it at the remote', { timeout: 300_000 }, async () => {
    for (const version of ['1.0.0', '1.1.0']) {
      const dir = await publisher.writePackage({ name: '@acme/gone', version, main: 'index.js' });
      expect((await publisher.npm(['publish'], dir)).code).toBe(0);
    }
    const kept = await publisher.writePackage({ name: '@acme/kept', version: '1.0.0', main: 'index.js' });
    expect((await publisher.npm(['publish'], kept)).code).toBe(0);
    expect(await eventually(() => versions(remote.url, '@acme/gone'), (v) => v.length === 2, within)).toEqual(['1.0.0', '1.1.0']);

    const unpublished = await publisher.npm(['unpublish', '@acme/gone', '--force']);
    expect(unpublished.code, unpublished.stderr).toBe(0);
    expect(await versions(source.url, '@acme/gone')).toEqual([]);
    expect(await eventually(() => versions(remote.url, '@acme/gone'), (v) => v.length === 0, within)).toEqual([]);
    expect(await eventually(() => versions(remote.url, '@acme/kept'), (v) => v.length === 1, within)).toEqual(['1.0.0']);
    const res = await fetch(`${remote.url}/npm/@acme%2fgone`);
    expect(res.status).toBe(404);

    // Published again: copied again, the earlier deletion does not take it.
    const again = await publisher.writePackage({ name: '@acme/gone', version: '2.0.0', main: 'index.js' });
    expect((await publisher.npm(['publish'], again)).code).toBe(0);
    expect(await eventually(() => versions(remote.url, '@acme/gone'), (v) => v.length === 1, within)).toEqual(['2.0.0']);
    const status = await eventually(async () => ((await (await fetch(`${source.url}/api/replication`)).json()) as { rules: Array<{ pending: number; failures: unknown[] }> }).rules[0]!, (s) => s.pending === 0, within);
    expect(status.failures).toEqual([]);
  });
});
