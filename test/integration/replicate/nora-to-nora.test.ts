// `nora replicate` between two NORA servers given by URL: the destination has access control on
// and is reached with NORA_TOKEN; every repository is copied under its own name, signatures
// follow their image with --referrers (the referrers API), and a blob already copied into
// another repository is mounted rather than sent again. Also the way back: into local/ of a store.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNora, startNora, type NoraServer } from '../../helpers/nora-process.js';
import { fetchHttp, pushImage } from '../../helpers/oci-client.js';
import { replicate, seedImages, type SeededImages } from '../../helpers/replicate-fixtures.js';
import { makeSkopeo, type Skopeo } from '../../helpers/skopeo.js';

let source: NoraServer;
let replica: NoraServer;
let skopeo: Skopeo;
let seeded: SeededImages;
let dir: string;
let config: string;
let token: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'nora-replica-'));
  config = path.join(dir, 'nora.toml');
  await writeFile(config, '[auth]\nenabled = true\n\n[[auth.rules]]\nsubject = "ops"\npermissions = ["pull:**", "push:**"]\n');
  [source, replica] = await Promise.all([startNora(), startNora({ args: ['--config', config] })]);
  skopeo = await makeSkopeo();
  seeded = await seedImages(skopeo, new URL(source.url).host);
  const created = await runNora(['tokens', 'create', '--config', config, '--data-dir', replica.dataDir, '--owner', 'ops', '--name', 'replicate', '--permission', 'pull:**', '--permission', 'push:**']);
  expect(created.code, created.stderr).toBe(0);
  token = created.stdout.trim().split('\n')[0]!;
}, 120_000);

afterAll(async () => {
  await source?.stop();
  await replica?.stop();
  await skopeo?.cleanup();
  await seeded?.cleanup();
  await rm(dir, { recursive: true, force: true });
});

describe('replicate NORA to NORA', () => {
  it('is refused without a token, and says so per artifact', async () => {
    const run = await replicate(['--from', `${source.url}/other/tool:0.1`, '--to', replica.url]);
    expect(run.code).toBe(1);
    expect(run.summary.failures[0]!.reason).toMatch(/refused access \(HTTP 401\)/);
  });

  it('copies every repository with NORA_TOKEN, signatures with their image, mounting shared blobs', async () => {
    const v1 = seeded.digests['team/app:1.0.0']!;
    const head = await fetch(`${source.url}/v2/team/app/manifests/1.0.0`, { method: 'HEAD', headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } });
    const subject = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: v1, size: Number(head.headers.get('content-length')) };
    const signature = await pushImage(fetchHttp(source.url), 'team/app', `sha256-${v1.slice(7)}.sig`, { subject, artifactType: 'application/vnd.dev.cosign.artifact.sig.v1+json', layers: ['a signature'] });

    // The signature's own tag is filtered out: it arrives only because --referrers follows the image.
    const run = await replicate(['--from', source.url, '--to', replica.url, '--referrers', '--concurrency', '1', '--tags', '{1.0.0,2.0.0,multi,0.1}'], { NORA_TOKEN: token });
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(run.stdout + run.stderr).not.toContain(token);
    expect(run.summary.failed).toBe(0);
    // The shared layer went to other/tool first (catalog order), then was mounted into team/app.
    expect(run.events).toContainEqual(expect.objectContaining({ type: 'blob', status: 'mounted', repo: 'team/app', digest: seeded.layers.shared.digest, from: 'other/tool' }));

    const auth = { authorization: `Bearer ${token}` };
    const referrers = await fetch(`${replica.url}/v2/team/app/referrers/${v1}`, { headers: auth }).then((r) => r.json()) as { manifests: Array<{ digest: string }> };
    expect(referrers.manifests.map((m) => m.digest)).toEqual([signature.digest]);
    expect((await fetch(`${replica.url}/v2/team/app/manifests/sha256-${v1.slice(7)}.sig`, { method: 'HEAD', headers: auth })).status).toBe(404);
    const creds = `ops:${token}`;
    const host = new URL(replica.url).host;
    for (const ref of ['team/app:1.0.0', 'team/app:2.0.0', 'team/app:multi', 'other/tool:0.1']) {
      const digest = (await skopeo.run('inspect', '--format', '{{.Digest}}', '--tls-verify=false', '--creds', creds, `docker://${host}/${ref}`)).trim();
      if (ref !== 'team/app:multi') expect(digest).toBe(seeded.digests[ref]);
      const raw = await skopeo.run('inspect', '--raw', '--tls-verify=false', '--creds', creds, `docker://${host}/${ref}`);
      expect(raw).toBe(await skopeo.run('inspect', '--raw', '--tls-verify=false', `docker://${new URL(source.url).host}/${ref}`));
    }
  });

  it('pulls back into local/ of a store, where a served NORA answers the same digests', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'nora-replica-local-'));
    try {
      const run = await replicate(['--from', `${replica.url}/team/**`, '--to', 'local/back/', '--data-dir', dataDir, '--tags', '[12].*'], { NORA_TOKEN: token });
      expect(run.code, run.stderr + run.stdout).toBe(0);
      expect(run.summary).toMatchObject({ copied: 2, failed: 0 });
      const served = await startNora({ dataDir });
      try {
        const digest = (await skopeo.run('inspect', '--format', '{{.Digest}}', '--tls-verify=false', `docker://${new URL(served.url).host}/back/team/app:2.0.0`)).trim();
        expect(digest).toBe(seeded.digests['team/app:2.0.0']);
      } finally {
        await served.stop({ keepData: true });
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
