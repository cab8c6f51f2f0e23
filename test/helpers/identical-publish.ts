// One publish per format that can be sent many times with the same bytes (a race of identical
// publishes, or a CI job retrying), and the check a user would make afterwards: the artifact is
// listed and its file downloads byte-identical. Each call of `scenario(seed)` names a fresh artifact.
import { expect } from 'vitest';
import { fetchHttp, pushImage, OCI_MANIFEST } from './oci-client.js';
import { publishBody, tarballBytes } from './npm-fixtures.js';
import { fakeCrate, frame, publishMetadata } from './cargo-frame.js';
import { twineFields, uploadForm, wheel } from './pypi-dists.js';

export interface PublishScenario {
  format: 'oci' | 'npm' | 'maven' | 'cargo' | 'pypi';
  /** Whether the protocol refuses a second publish of the same version (then exactly one succeeds). */
  refusesDuplicates: boolean;
  /** Sends the publish once; resolves to the HTTP status (a throw for OCI means a failed push). */
  publish(base: string): Promise<number>;
  /** Asserts the artifact is listed and every file is served with exactly the published bytes. */
  expectServed(base: string): Promise<void>;
}

async function bytesAt(base: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; bytes: Buffer }> {
  const response = await fetch(`${base}${path}`, { headers });
  return { status: response.status, bytes: Buffer.from(await response.arrayBuffer()) };
}

async function expectFile(base: string, path: string, bytes: Buffer, headers: Record<string, string> = {}): Promise<void> {
  const got = await bytesAt(base, path, headers);
  expect(got.status, `GET ${path}`).toBe(200);
  expect(got.bytes.equals(bytes), `GET ${path}: bytes differ`).toBe(true);
}

async function statusOf(response: Promise<Response>): Promise<number> {
  const done = await response;
  await done.arrayBuffer();
  return done.status;
}

function npm(seed: string): PublishScenario {
  const name = `race-${seed}`;
  const tarball = tarballBytes(`npm ${seed}`, 64 * 1024);
  const body = JSON.stringify(publishBody(name, { version: '1.0.0', tarball }));
  return {
    format: 'npm',
    refusesDuplicates: true,
    publish: (base) => statusOf(fetch(`${base}/npm/${name}`, { method: 'PUT', body, headers: { 'content-type': 'application/json', authorization: 'Bearer dummy' } })),
    async expectServed(base) {
      const packument = await bytesAt(base, `/npm/${name}`);
      expect(packument.status).toBe(200);
      expect(Object.keys((JSON.parse(packument.bytes.toString()) as { versions: object }).versions)).toEqual(['1.0.0']);
      await expectFile(base, `/npm/${name}/-/${name}-1.0.0.tgz`, tarball);
    },
  };
}

function pypi(seed: string): PublishScenario {
  const project = { name: `race-${seed}`, version: '1.0' };
  const dist = wheel(project);
  const { body, contentType } = uploadForm(twineFields(project, dist), dist);
  return {
    format: 'pypi',
    refusesDuplicates: true,
    publish: (base) => statusOf(fetch(`${base}/pypi/`, { method: 'POST', body, headers: { 'content-type': contentType } })),
    async expectServed(base) {
      const index = await bytesAt(base, `/simple/${project.name}/`, { accept: 'application/vnd.pypi.simple.v1+json' });
      expect(index.status).toBe(200);
      const files = (JSON.parse(index.bytes.toString()) as { files: Array<{ filename: string }> }).files;
      expect(files.map((f) => f.filename)).toEqual([dist.filename]);
      await expectFile(base, `/pypi/files/${project.name}/${dist.filename}`, dist.bytes);
      await expectFile(base, `/pypi/files/${project.name}/${dist.filename}.metadata`, Buffer.from(dist.metadata));
    },
  };
}

function cargo(seed: string): PublishScenario {
  const name = `race-${seed}`;
  const crate = fakeCrate(name, '1.0.0');
  const body = frame(publishMetadata(name, '1.0.0'), crate);
  return {
    format: 'cargo',
    refusesDuplicates: true,
    publish: (base) => statusOf(fetch(`${base}/cargo/api/v1/crates/new`, { method: 'PUT', body })),
    async expectServed(base) {
      const index = await bytesAt(base, `/cargo/index/${name.slice(0, 2)}/${name.slice(2, 4)}/${name}`);
      expect(index.status).toBe(200);
      const lines = index.bytes.toString().trim().split('\n').map((l) => JSON.parse(l) as { vers: string });
      expect(lines.map((l) => l.vers)).toEqual(['1.0.0']);
      await expectFile(base, `/cargo/api/v1/crates/${name}/1.0.0/download`, crate);
    },
  };
}

function maven(seed: string): PublishScenario {
  const dir = `/maven2/org/example/race/${seed}`;
  const jar = Buffer.from(`jar bytes of ${seed} `.repeat(4096));
  return {
    format: 'maven',
    refusesDuplicates: true,
    publish: (base) => statusOf(fetch(`${base}${dir}/1.0/${seed}-1.0.jar`, { method: 'PUT', body: jar })),
    async expectServed(base) {
      const metadata = await bytesAt(base, `${dir}/maven-metadata.xml`);
      expect(metadata.status).toBe(200);
      expect(metadata.bytes.toString()).toContain('<version>1.0</version>');
      await expectFile(base, `${dir}/1.0/${seed}-1.0.jar`, jar);
    },
  };
}

function oci(seed: string): PublishScenario {
  const name = `race/${seed}`;
  const layers = [`first layer of ${seed} `.repeat(4096), `second layer of ${seed}`];
  let pushed: Awaited<ReturnType<typeof pushImage>> | undefined;
  return {
    format: 'oci',
    refusesDuplicates: false,
    async publish(base) {
      pushed = await pushImage(fetchHttp(base), name, 'v1', { layers });
      return 201;
    },
    async expectServed(base) {
      const tags = await bytesAt(base, `/v2/${name}/tags/list`);
      expect((JSON.parse(tags.bytes.toString()) as { tags: string[] }).tags).toEqual(['v1']);
      await expectFile(base, `/v2/${name}/manifests/v1`, pushed!.manifest, { accept: OCI_MANIFEST });
      for (const [i, digest] of pushed!.layers.entries()) await expectFile(base, `/v2/${name}/blobs/${digest}`, Buffer.from(layers[i]!));
      expect((await bytesAt(base, `/v2/${name}/blobs/${pushed!.config}`)).status).toBe(200);
    },
  };
}

export const SCENARIOS: Record<PublishScenario['format'], (seed: string) => PublishScenario> = { npm, pypi, cargo, maven, oci };
