// The OCI and npm format services as ops, the API and the UI see them: names paged, glob- and
// pull-filtered; versions with sizes (an image is config + layers), push and pull data; read;
// delete and (un)tag with each format's rules; usage. Pulls go through the real protocol routes.
import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../helpers/test-app.js';
import { injectHttp, pushImage } from '../../helpers/oci-client.js';
import { publishBody, tarballBytes } from '../../helpers/npm-fixtures.js';

let t: TestApp;
afterEach(async () => { await t.close(); });
const start = async () => (t = await buildTestApp({ settings: { 'npm.upstream': '' } }));
const publish = async (name: string, version: string, size = 256) => {
  const r = await t.app.inject({ method: 'PUT', url: `/npm/${name.replace('/', '%2f')}`, payload: publishBody(name, { version, tarball: tarballBytes(`${name}${version}`, size) }) });
  expect(r.statusCode, r.body).toBe(201);
};

describe('oci service', () => {
  it('lists names by page, glob and pull permission; versions with image size and pulls', async () => {
    await start();
    const http = injectHttp(t.app);
    const image = await pushImage(http, 'team/app', '1.0', { layers: ['x'.repeat(100), 'y'.repeat(50)] });
    await pushImage(http, 'team/other', '1.0');
    await pushImage(http, 'solo', 'latest');
    const oci = t.services.formats.oci;
    expect(await oci.listNames({ limit: 2 })).toEqual({ items: ['solo', 'team/app'], next: 'team/app' });
    expect(await oci.listNames({ after: 'team/app' })).toEqual({ items: ['team/other'] });
    expect(await oci.listNames({ glob: 'team/*', canPull: (n) => n !== 'team/other' })).toEqual({ items: ['team/app'] });

    for (let i = 0; i < 3; i++) expect((await http('GET', '/v2/team/app/manifests/1.0')).status).toBe(200);
    await t.services.pulls.flush();
    const [version] = await oci.listVersions('team/app');
    const configSize = JSON.parse(image.manifest.toString()).config.size as number;
    expect(version).toMatchObject({ name: 'team/app', version: '1.0', digest: image.digest, size: configSize + 150, pulls: 3 });
    expect(Date.parse(version!.lastPulled!)).not.toBeNaN();
    expect((await t.app.inject({ url: '/api/artifacts?type=oci&glob=team/app' })).json().items[0].pulls).toBeUndefined();
    const listed = (await t.app.inject({ url: '/api/artifacts?type=oci&glob=team/app&pulls=true' })).json().items;
    expect(listed).toMatchObject([{ type: 'oci', name: 'team/app', version: '1.0', size: configSize + 150, pulls: 3 }]);

    const detail = await oci.read('team/app', image.digest);
    expect(detail?.blobs.map((b) => b.digest).sort()).toEqual([image.digest, image.config, ...image.layers].sort());
    expect(await oci.read('team/app', 'nope')).toBeUndefined();
    expect(await oci.read('Bad Name', '1.0')).toBeUndefined();
    expect((await oci.usage()).names).toBe(3);
  });

  it('sizes an index per platform', async () => {
    await start();
    const http = injectHttp(t.app);
    const amd = await pushImage(http, 'multi', 'amd', { layers: ['a'.repeat(10)] });
    const arm = await pushImage(http, 'multi', 'arm', { layers: ['b'.repeat(20)] });
    const index = Buffer.from(JSON.stringify({
      schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: amd.digest, size: amd.manifest.length, platform: { os: 'linux', architecture: 'amd64' } },
        { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: arm.digest, size: arm.manifest.length, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
      ],
    }));
    expect((await http('PUT', '/v2/multi/manifests/both', { body: index, headers: { 'content-type': 'application/vnd.oci.image.index.v1+json' } })).status).toBe(201);
    const versions = await t.services.formats.oci.listVersions('multi');
    const byTag = Object.fromEntries(versions.map((v) => [v.version, v]));
    const sizeOf = (m: Buffer) => { const d = JSON.parse(m.toString()); return d.config.size + d.layers.reduce((n: number, l: { size: number }) => n + l.size, 0); };
    expect(byTag.both!.platforms).toEqual([
      { platform: 'linux/amd64', digest: amd.digest, size: sizeOf(amd.manifest) },
      { platform: 'linux/arm64/v8', digest: arm.digest, size: sizeOf(arm.manifest) },
    ]);
    expect(byTag.both!.size).toBe(sizeOf(amd.manifest) + sizeOf(arm.manifest));
  });
});

describe('npm service', () => {
  it('lists versions with their dist-tags, pulls of their tarballs, and never leaves a tag dangling', async () => {
    await start();
    await publish('@org/tool', '1.0.0', 300);
    await publish('@org/tool', '2.0.0', 400);
    const npm = t.services.formats.npm;
    expect(await npm.tag({ name: '@org/tool', reference: '1.0.0' }, { name: '@org/tool', tag: 'stable' })).toMatchObject({ digest: expect.stringMatching(/^sha512:/) });
    for (let i = 0; i < 2; i++) expect((await t.app.inject({ url: '/npm/@org/tool/-/tool-1.0.0.tgz' })).statusCode).toBe(200);
    const versions = await npm.listVersions('@org/tool');
    expect(versions).toMatchObject([
      { version: '1.0.0', size: 300, tags: ['stable'], pulls: 2 },
      { version: '2.0.0', size: 400, tags: ['latest'], pulls: 0 },
    ]);
    expect((await npm.read('@org/tool', 'stable'))?.version).toBe('1.0.0');
    expect(await npm.listNames({ glob: '@org/*' })).toEqual({ items: ['@org/tool'] });

    // Deleting the latest version moves "latest"; the tag on the deleted version goes with it.
    expect(await npm.delete('@org/tool', '2.0.0')).toBe(true);
    expect(await npm.delete('@org/tool', '2.0.0')).toBe(false);
    expect((await t.app.inject({ url: '/npm/-/package/@org%2ftool/dist-tags' })).json()).toEqual({ latest: '1.0.0', stable: '1.0.0' });
    expect(await npm.untag('@org/tool', 'stable')).toBe(true);
    expect(await npm.untag('@org/tool', 'stable')).toBe(false);
    await expect(npm.untag('@org/tool', 'latest')).rejects.toMatchObject({ code: 'NPM_BAD_TAG' });
    expect(await npm.usage()).toEqual({ bytes: 300, names: 1, versions: 1 });
    expect(await npm.delete('@org/tool', '1.0.0')).toBe(true);
    expect((await t.app.inject({ url: '/npm/@org%2ftool' })).statusCode).toBe(404);
    expect(await npm.listVersions('not a name')).toEqual([]);
  });

  it('DELETE /api/artifacts?ref=npm:... keeps a deprecation on the versions that remain', async () => {
    await start();
    await publish('tool', '1.0.0');
    await publish('tool', '1.1.0');
    const packument = (await t.app.inject({ url: '/npm/tool' })).json();
    packument.versions['1.0.0'].deprecated = 'use 1.1';
    expect((await t.app.inject({ method: 'PUT', url: '/npm/tool', payload: packument })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'DELETE', url: '/api/artifacts?ref=npm:tool@1.1.0' })).statusCode).toBe(200);
    const after = (await t.app.inject({ url: '/npm/tool' })).json();
    expect(Object.keys(after.versions)).toEqual(['1.0.0']);
    expect(after.versions['1.0.0'].deprecated).toBe('use 1.1');
    expect(after['dist-tags']).toEqual({ latest: '1.0.0' });
  });
});
