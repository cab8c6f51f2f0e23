// Publishes one artifact of every format to a running NORA over HTTP, and checks that every
// published file is served back byte-identical. Used by the gc, backup and migrate tests.
import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import { fetchHttp, pushImage, OCI_MANIFEST } from './oci-client.js';
import { publish as npmPublish } from './npm-http.js';
import { tarballBytes } from './npm-fixtures.js';
import { fakeCrate, frame, publishMetadata } from './cargo-frame.js';
import { twineFields, uploadForm, wheel } from './pypi-dists.js';

export interface PublishedFile {
  format: 'oci' | 'npm' | 'maven' | 'cargo' | 'pypi';
  path: string;
  accept?: string;
  bytes: Buffer;
  /** Where the blob lives in an fs store, relative to the data dir. */
  blobPath: string;
}

const blobPath = (bytes: Buffer, alg: 'sha256' | 'sha512' = 'sha256') => {
  const hex = createHash(alg).update(bytes).digest('hex');
  return `blobs/${alg}/${hex.slice(0, 2)}/${hex}`;
};

async function ok(response: Response, what: string): Promise<void> {
  expect(response.status, `${what}: ${await response.clone().text()}`).toBeLessThan(300);
}

/** One OCI image, npm package, Maven jar, crate and wheel, all named after `seed`. */
export async function publishAll(base: string, seed: string): Promise<PublishedFile[]> {
  const files: PublishedFile[] = [];
  const image = await pushImage(fetchHttp(base), `ops/${seed}`, 'v1', { layers: [`layer one of ${seed}`, `layer two of ${seed}`] });
  files.push({ format: 'oci', path: `/v2/ops/${seed}/manifests/v1`, accept: OCI_MANIFEST, bytes: image.manifest, blobPath: blobPath(image.manifest) });
  for (const digest of [image.config, ...image.layers]) {
    const bytes = Buffer.from(await (await fetch(`${base}/v2/ops/${seed}/blobs/${digest}`)).arrayBuffer());
    files.push({ format: 'oci', path: `/v2/ops/${seed}/blobs/${digest}`, bytes, blobPath: blobPath(bytes) });
  }

  const tarball = tarballBytes(`npm ${seed}`, 1024);
  await ok(await npmPublish(base, `ops-${seed}`, { version: '1.0.0', tarball }), 'npm publish');
  files.push({ format: 'npm', path: `/npm/ops-${seed}/-/ops-${seed}-1.0.0.tgz`, bytes: tarball, blobPath: blobPath(tarball, 'sha512') });

  const jar = Buffer.from(`jar bytes of ${seed}`);
  const jarPath = `/maven2/org/example/ops/${seed}/1.0/${seed}-1.0.jar`;
  await ok(await fetch(`${base}${jarPath}`, { method: 'PUT', body: jar }), 'maven deploy');
  files.push({ format: 'maven', path: jarPath, bytes: jar, blobPath: blobPath(jar) });

  const crate = fakeCrate(`ops-${seed}`, '1.0.0');
  await ok(await fetch(`${base}/cargo/api/v1/crates/new`, { method: 'PUT', body: frame(publishMetadata(`ops-${seed}`, '1.0.0'), crate) }), 'cargo publish');
  files.push({ format: 'cargo', path: `/cargo/api/v1/crates/ops-${seed}/1.0.0/download`, bytes: crate, blobPath: blobPath(crate) });

  const dist = wheel({ name: `ops-${seed}`, version: '1.0' });
  const { body, contentType } = uploadForm(twineFields({ name: `ops-${seed}`, version: '1.0' }, dist), dist);
  await ok(await fetch(`${base}/pypi/`, { method: 'POST', body, headers: { 'content-type': contentType } }), 'pypi upload');
  files.push({ format: 'pypi', path: `/pypi/files/ops-${seed}/${dist.filename}`, bytes: dist.bytes, blobPath: blobPath(dist.bytes) });
  return files;
}

/** Every file is served with exactly the published bytes. */
export async function expectServed(base: string, files: PublishedFile[]): Promise<void> {
  for (const file of files) {
    const response = await fetch(`${base}${file.path}`, { headers: file.accept ? { accept: file.accept } : {} });
    expect(response.status, `${file.format} ${file.path}`).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(file.bytes), `${file.format} ${file.path} bytes`).toBe(true);
  }
}

/** The references `nora delete` takes for what publishAll(…, seed) published (the image by digest). */
export const refsOf = (seed: string, files: PublishedFile[]): string[] => [
  `ops/${seed}@sha256:${createHash('sha256').update(files[0]!.bytes).digest('hex')}`, `npm:ops-${seed}@1.0.0`, `maven:org.example.ops:${seed}@1.0`, `cargo:ops-${seed}@1.0.0`, `pypi:ops-${seed}@1.0`,
];
