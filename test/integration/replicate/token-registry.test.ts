// `nora replicate` with docker-registry behind the Docker token protocol (a token service issuing
// JWTs), standing in for gcr.io or quay.io: as a source (credentials from the user's
// ~/.docker/config.json) and as a destination (--dst-creds), with the catalog and push scopes.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDistribution, type DistributionRegistry } from '../../helpers/docker-registry.js';
import { replicate, seedImages, type SeededImages } from '../../helpers/replicate-fixtures.js';
import { makeSkopeo, type Skopeo } from '../../helpers/skopeo.js';
import { startTokenServer, type TokenServer } from '../../helpers/token-server.js';

const user = { name: 'robot', password: 't0ken-pass' };
let tokens: TokenServer;
let source: DistributionRegistry;
let target: DistributionRegistry;
let skopeo: Skopeo;
let seeded: SeededImages;
let home: string;

beforeAll(async () => {
  tokens = await startTokenServer(user);
  [source, target] = await Promise.all([startDistribution({ token: tokens }), startDistribution({ token: tokens })]);
  skopeo = await makeSkopeo();
  seeded = await seedImages(skopeo, source.host, { creds: `${user.name}:${user.password}` });
  home = await mkdtemp(path.join(os.tmpdir(), 'nora-replicate-home-'));
  await mkdir(path.join(home, '.docker'));
  await writeFile(path.join(home, '.docker', 'config.json'), JSON.stringify({ auths: { [source.host]: { auth: Buffer.from(`${user.name}:${user.password}`).toString('base64') } } }));
}, 120_000);

afterAll(async () => {
  await source?.cleanup();
  await target?.cleanup();
  await tokens?.close();
  await skopeo?.cleanup();
  await seeded?.cleanup();
  if (home) await rm(home, { recursive: true, force: true });
});

describe('replicate with the Docker token protocol', () => {
  it('lists the catalog and pulls with tokens from the docker config, pushes with --dst-creds', async () => {
    const run = await replicate(['--from', `http://${source.host}/**`, '--to', `http://${target.host}/copy`, '--dst-creds', `${user.name}:${user.password}`], { HOME: home, DOCKER_CONFIG: path.join(home, '.docker') });
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(run.summary).toMatchObject({ copied: 4, failed: 0 });
    expect(run.stdout + run.stderr).not.toContain(user.password);
    expect(tokens.requests).toContain('registry:catalog:*');
    expect(tokens.requests).toContain('repository:copy/team/app:pull,push');
    for (const ref of ['team/app:1.0.0', 'team/app:multi', 'other/tool:0.1']) {
      const digest = (await skopeo.run('inspect', '--raw', '--tls-verify=false', '--creds', `${user.name}:${user.password}`, `docker://${target.host}/copy/${ref}`));
      expect(digest).toBe(await skopeo.run('inspect', '--raw', '--tls-verify=false', '--creds', `${user.name}:${user.password}`, `docker://${source.host}/${ref}`));
    }
    expect(Object.keys(seeded.digests)).toHaveLength(4);
  });

  it('uploads a blob when the registry refuses its cross-repository mount (a token scoped to the target answers 401)', async () => {
    // One artifact at a time: the layer both repositories share is in the first destination
    // repository when the second one needs it, so the copier asks for a mount, which the token
    // registry refuses (the push token covers the target repository, not pull on the other).
    const run = await replicate(['--from', `http://${source.host}/**`, '--to', `http://${target.host}/mounts`, '--concurrency', '1', '--dst-creds', `${user.name}:${user.password}`], { HOME: home, DOCKER_CONFIG: path.join(home, '.docker') });
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(run.summary).toMatchObject({ copied: 4, failed: 0 });
    const shared = run.events.filter((e) => e.type === 'blob' && e.digest === seeded.layers.shared.digest);
    expect(shared.filter((e) => e.status === 'mounted')).toEqual([]);
    expect(shared.filter((e) => e.status === 'copied').map((e) => e.repo).sort()).toEqual(['mounts/other/tool', 'mounts/team/app']);
    for (const ref of ['team/app:2.0.0', 'other/tool:0.1']) {
      const there = await skopeo.run('inspect', '--raw', '--tls-verify=false', '--creds', `${user.name}:${user.password}`, `docker://${target.host}/mounts/${ref}`);
      expect(there).toBe(await skopeo.run('inspect', '--raw', '--tls-verify=false', '--creds', `${user.name}:${user.password}`, `docker://${source.host}/${ref}`));
    }
  });

  it('answers a wrong password with the registry refusing access, per artifact', async () => {
    const run = await replicate(['--from', `http://${source.host}/team/app:1.0.0`, '--to', `http://${target.host}/copy2/app`, '--src-creds', `${user.name}:wrong`, '--dst-creds', `${user.name}:${user.password}`]);
    expect(run.code).toBe(1);
    expect(run.summary.failures[0]!.reason).toContain('refused access');
    expect(run.stdout + run.stderr).not.toContain('wrong');
  });
});
