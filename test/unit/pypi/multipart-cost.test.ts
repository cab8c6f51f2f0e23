// A twine upload is read by busboy, whose boundary search is linear: hostile forms (bytes that
// almost match the boundary, thousands of parts, one huge field) cost about what a normal
// upload of the same size costs, measured over HTTP (in-process) as a client triggers it.
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../helpers/test-app.js';
import { costRatio, describeCost } from '../../helpers/cost-ratio.js';
import { twineFields, zip } from '../../helpers/pypi-dists.js';

const SIZE = 1024 * 1024;
const BOUNDARY = `----nora${'b'.repeat(60)}`; // 68 characters; RFC 2046 allows 70

const part = (name: string, value: string | Buffer, filename?: string) => Buffer.concat([
  Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"${filename ? `; filename="${filename}"` : ''}\r\n\r\n`),
  Buffer.from(value), Buffer.from('\r\n'),
]);
const END = Buffer.from(`--${BOUNDARY}--\r\n`);

/** twine's form for `bytes` as version `version` of nora-demo. */
function form(version: string, bytes: Buffer): Buffer {
  const filename = `nora_demo-${version}-py3-none-any.whl`;
  const fields = twineFields({ name: 'nora-demo', version }, { filename, bytes });
  return Buffer.concat([...Object.entries(fields).map(([k, v]) => part(k, v)), part('content', bytes, filename), END]);
}

/** A real wheel of about SIZE bytes (incompressible payload). */
const wheelOf = (version: string) => zip([[`nora_demo-${version}.dist-info/METADATA`, `Metadata-Version: 2.1\nName: nora-demo\nVersion: ${version}\n`], ['nora_demo/data.bin', randomBytes(SIZE)]]);
const fill = (unit: string) => Buffer.from(unit.repeat(Math.floor(SIZE / unit.length)));

let t: TestApp;
beforeEach(async () => { t = await buildTestApp({ settings: { 'pypi.max_upload_size': '4MiB' } }); });
afterEach(async () => { await t.close(); });

const upload = (payload: Buffer) => t.app.inject({ method: 'POST', url: '/pypi/', payload, headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` } });

describe('multipart upload cost on hostile forms', { timeout: 120_000 }, () => {
  // Each normal upload is a new version, so every run stores a wheel as a real upload does.
  const normals = Array.from({ length: 6 }, (_v, i) => form(`1.0.${i}`, wheelOf(`1.0.${i}`)));
  let next = 0;
  beforeEach(() => { next = 0; });
  const normal = async () => { const response = await upload(normals[next++]!); expect(response.statusCode, response.body).toBe(200); };

  it.each([
    ['a file of near-boundaries', form('2.0', fill(`\r\n--${BOUNDARY.slice(0, -1)}x`))],
    ['a file of boundary prefixes', form('2.0', fill('\r\n--'))],
    ['a file of the boundary\'s own character', form('2.0', fill('b'))],
    ['thousands of tiny parts', Buffer.concat([...Array.from({ length: SIZE / 128 }, (_v, i) => part(`f${i}`, 'x')), END])],
    ['one field as large as the file', Buffer.concat([part('description', 'd'.repeat(SIZE)), form('2.0', Buffer.from('x'))])],
  ])('%s costs less than 10x a normal upload of the same size', async (_label, worst) => {
    expect(Math.abs(worst.length - normals[0]!.length)).toBeLessThan(SIZE / 4);
    const cost = await costRatio(normal, () => upload(worst));
    expect(cost.ratio, describeCost(cost)).toBeLessThan(10);
  });
});
