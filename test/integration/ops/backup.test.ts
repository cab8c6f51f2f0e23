// `nora backup` of a live server while it takes pushes, `nora restore` into an empty store, and
// every artifact of every format served byte-identical from the restored store (skopeo pulls the
// image too). A truncated archive restores nothing; a non-empty target needs --force.
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noraCommand, runNora, startNora, type NoraServer } from '../../helpers/nora-process.js';
import { fetchHttp, pushImage, OCI_MANIFEST } from '../../helpers/oci-client.js';
import { expectServed, publishAll, type PublishedFile } from '../../helpers/all-formats.js';
import { makeSkopeo } from '../../helpers/skopeo.js';
import { execFile } from 'node:child_process';

let source: NoraServer;
let work: string;
let files: PublishedFile[];
const archive = () => path.join(work, 'backup.tar.gz');

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'nora-backup-'));
  source = await startNora();
  files = await publishAll(source.url, 'saved');
});
afterAll(async () => {
  await source.stop();
  await rm(work, { recursive: true, force: true });
});

describe('nora backup / restore', () => {
  it('backs up while pushes go on; the restored store serves every format byte-identical', async () => {
    const http = fetchHttp(source.url);
    let stop = false;
    await pushImage(http, 'busy/app', 'before', { layers: ['busy layer before'] });
    const loop = (async () => {
      for (let i = 0; !stop; i++) await pushImage(http, 'busy/app', `b${i}`, { layers: [`busy layer ${i}`] });
    })();
    const backup = await runNora(['backup', '-o', archive(), '--data-dir', source.dataDir, '--json']);
    stop = true;
    await loop;
    expect(backup.code, backup.stderr).toBe(0);
    const report = JSON.parse(backup.stdout.trim()) as { blobs: number; objects: number };
    expect(report.blobs).toBeGreaterThanOrEqual(files.length);

    const target = await mkdtemp(path.join(work, 'restored-'));
    const restore = await runNora(['restore', '-i', archive(), '--data-dir', target, '--json']);
    expect(restore.code, restore.stderr).toBe(0);
    expect(JSON.parse(restore.stdout.trim())).toMatchObject({ blobs: report.blobs, objects: report.objects });

    const restored = await startNora({ dataDir: target });
    try {
      await expectServed(restored.url, files);
      // Every image the snapshot holds pulls completely (pushes during the backup included or not).
      const images = (await (await fetch(`${restored.url}/api/artifacts?type=oci`)).json()) as { items: { name: string; version: string }[] };
      expect(images.items.length).toBeGreaterThan(1);
      for (const image of images.items) {
        const manifest = await fetch(`${restored.url}/v2/${image.name}/manifests/${image.version}`, { headers: { accept: OCI_MANIFEST } });
        expect(manifest.status, `${image.name}:${image.version}`).toBe(200);
        const parsed = (await manifest.json()) as { config: { digest: string }; layers: { digest: string }[] };
        for (const { digest } of [parsed.config, ...parsed.layers]) expect((await fetch(`${restored.url}/v2/${image.name}/blobs/${digest}`)).status).toBe(200);
      }
      // Push dates travel with the documents: every format lists the same dates after restore.
      type Listed = { type: string; name: string; version: string; digest: string; pushed: string };
      const all = async (url: string) => ((await (await fetch(`${url}/api/artifacts`)).json()) as { items: Listed[] }).items;
      const before = new Map((await all(source.url)).map((i) => [`${i.type} ${i.name} ${i.version}`, i]));
      const after = await all(restored.url);
      expect(new Set(after.map((i) => i.type))).toEqual(new Set(['oci', 'npm', 'maven', 'cargo', 'pypi']));
      for (const item of after) expect(item, `${item.type} ${item.name} ${item.version}`).toEqual(before.get(`${item.type} ${item.name} ${item.version}`));
      const skopeo = await makeSkopeo();
      try {
        await skopeo.run('copy', '--src-tls-verify=false', `docker://${restored.url.replace('http://', '')}/ops/saved:v1`, `dir:${path.join(work, 'pulled')}`);
      } finally {
        await skopeo.cleanup();
      }

      const refused = await runNora(['restore', '-i', archive(), '--data-dir', target]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/not empty.*--force/);
      const forced = await runNora(['restore', '-i', archive(), '--data-dir', target, '--force']);
      expect(forced.code, forced.stderr).toBe(0);
    } finally {
      await restored.stop();
    }
  });

  it('a truncated or corrupted archive fails clearly and leaves no artifact visible', async () => {
    const bytes = await readFile(archive());
    const cases = { truncated: bytes.subarray(0, Math.floor(bytes.length * 0.7)), corrupted: Buffer.concat([bytes.subarray(0, 200), Buffer.alloc(64, 7), bytes.subarray(264)]) };
    for (const [what, content] of Object.entries(cases)) {
      await writeFile(path.join(work, `${what}.tar.gz`), content);
      const target = await mkdtemp(path.join(work, `${what}-`));
      const result = await runNora(['restore', '-i', path.join(work, `${what}.tar.gz`), '--data-dir', target]);
      expect(result.code, what).toBe(1);
      expect(result.stderr, what).toMatch(/cannot be restored/);
      await expect(stat(path.join(target, 'repos')), what).rejects.toThrow();
    }
    expect((await runNora(['restore', '-i', path.join(work, 'missing.tar.gz'), '--data-dir', work])).code).toBe(3);
  });

  it('streams through a shell pipe: backup -o - | restore -i -', async () => {
    const target = await mkdtemp(path.join(work, 'piped-'));
    const nora = noraCommand().map((part) => `'${part}'`).join(' ');
    const script = `${nora} backup -o - --data-dir '${source.dataDir}' | ${nora} restore -i - --data-dir '${target}' --json`;
    const stdout = await new Promise<string>((resolve, reject) => execFile('bash', ['-o', 'pipefail', '-c', script], (error, out, err) => (error ? reject(new Error(err)) : resolve(out))));
    expect(JSON.parse(stdout.trim()).blobs).toBeGreaterThanOrEqual(files.length);
    const restored = await startNora({ dataDir: target });
    try {
      await expectServed(restored.url, files);
    } finally {
      await restored.stop();
    }
  });
});

describe('nora backup secrets and users', () => {
  it('carries API tokens and the users file; the signing key only with --include-secrets', async () => {
    const { mkdir } = await import('node:fs/promises');
    await mkdir(path.join(source.dataDir, 'auth', 'keys'), { recursive: true });
    await mkdir(path.join(source.dataDir, 'auth', 'tokens'), { recursive: true });
    await writeFile(path.join(source.dataDir, 'auth', 'keys', 'registry.json'), '{"very":"secret"}');
    await writeFile(path.join(source.dataDir, 'auth', 'tokens', 'tok1.json'), '{"hash":"x"}');
    const users = path.join(work, 'htpasswd');
    expect((await runNora(['users', 'add', 'alice', '--file', users, '--password-stdin'], { input: 'correct horse\n' })).code).toBe(0);
    for (const [flags, withKey] of [[[], false], [['--include-secrets'], true]] as const) {
      const target = await mkdtemp(path.join(work, 'secrets-'));
      const file = path.join(work, `secrets-${withKey}.tar.gz`);
      expect((await runNora(['backup', '-o', file, '--data-dir', source.dataDir, ...flags], { env: { NORA_AUTH_HTPASSWD_FILE: users } })).code).toBe(0);
      const restoredUsers = path.join(target, 'htpasswd');
      const restore = await runNora(['restore', '-i', file, '--data-dir', target, '--json'], { env: { NORA_AUTH_HTPASSWD_FILE: restoredUsers } });
      expect(restore.code, restore.stderr).toBe(0);
      expect(JSON.parse(restore.stdout).users).toBe(`restored to ${restoredUsers}`);
      expect(await readFile(restoredUsers, 'utf8')).toBe(await readFile(users, 'utf8'));
      expect(await readFile(path.join(target, 'auth', 'tokens', 'tok1.json'), 'utf8')).toBe('{"hash":"x"}');
      await expect(stat(path.join(target, 'auth', 'keys', 'registry.json')).then(() => true, () => false)).resolves.toBe(withKey);
    }
  });
});
