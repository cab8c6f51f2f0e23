// Real client: skopeo copies an OCI layout whose manifest declares a layer size other than the
// layer's (it does not check this itself); NORA refuses the manifest, skopeo prints why, and no
// tag appears. containerd would refuse such an image at pull. (An index with a wrong child size
// cannot come from skopeo: it rewrites child descriptors, or refuses to with --preserve-digests;
// test/http/oci/descriptor-sizes-and-paging.test.ts covers that case over plain HTTP.)
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startNora, type NoraServer } from '../../helpers/nora-process.js';
import { OciLayout } from '../../helpers/oci-layout.js';
import { makeSkopeo, type Skopeo } from '../../helpers/skopeo.js';

const LAYER = 'application/vnd.oci.image.layer.v1.tar';
let server: NoraServer;
let skopeo: Skopeo;
let work: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'nora-skopeo-sizes-'));
  server = await startNora();
  skopeo = await makeSkopeo();
}, 60_000);

afterAll(async () => {
  await skopeo?.cleanup();
  await server?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

const push = (from: string, to: string, ...flags: string[]) =>
  skopeo.attempt('copy', '--preserve-digests', '--dest-tls-verify=false', ...flags, from, `docker://${new URL(server.url).host}/${to}`);

test('a layer declared as 5 bytes that has 12 is refused with the digest and both sizes', async () => {
  const src = new OciLayout(path.join(work, 'image'));
  const layer = await src.addBlob(Buffer.from('twelve bytes'), LAYER);
  await src.tag('bad', await src.addImage([{ ...layer, size: 5 }]));
  const result = await push(`oci:${src.dir}:bad`, 'team/bad:1.0');
  expect(result.code).not.toBe(0);
  expect(result.stderr).toContain(`layers[0] ${layer.digest} declares size 5, but the stored content has 12 bytes`);
  expect((await fetch(`${server.url}/v2/team/bad/manifests/1.0`)).status).toBe(404);
});
