// Fuzz /simple and /pypi: uploads whose digests lie, whose core metadata names another project
// or version, whose names, versions and filenames are hostile, whose multipart body is cut off
// or malformed, sdists that are not archives, a second upload of a file; hostile project pages,
// file paths and Accept/format; and valid uploads by callers without push. See helpers/fuzz-run.ts.
import { fuzzProtocol, type FuzzCase } from './helpers/fuzz-run.js';
import { hostileBody, hostileContentType, hostileHeaders, hostileName, hostileSegment, invalidSegment, safeEncode } from './helpers/hostile.js';
import type { Prng } from './helpers/prng.js';
import { metadataText, sdist, twineFields, uploadForm, wheel, type DistOptions } from '../helpers/pypi-dists.js';

interface Seeded { project: DistOptions; file: { filename: string; bytes: Buffer } }
type Dist = { filename: string; bytes: Buffer };

const upload = (fields: Record<string, string | undefined>, file: Dist | undefined, boundary?: string) => uploadForm(fields, file, boundary);

/** An upload form that must be refused, and its content type. */
function badUpload(rng: Prng, s: Seeded): { body: Buffer; contentType: string } {
  const pkg = { name: 'fuzz-proj', version: '1.0' };
  const good = wheel(pkg);
  return rng.oneOf(
    // Digests that do not match the file.
    () => upload({ ...twineFields(pkg, good), sha256_digest: rng.hex(64), md5_digest: rng.chance(0.5) ? rng.hex(32) : undefined }, good),
    () => upload({ ...twineFields(pkg, good), sha256_digest: undefined, md5_digest: undefined, blake2_256_digest: rng.hex(64) }, good),
    () => upload({ ...twineFields(pkg, good), sha256_digest: rng.pick(['', 'xyz', rng.hex(63), rng.hex(65), `${rng.hex(64)}\u0000`]), md5_digest: rng.hex(32) }, good),
    // Correct digests, but the metadata inside names another project or version.
    () => { const other = wheel({ name: rng.pick(['other-proj', s.project.name]), version: rng.pick(['1.0', '2.0']) }); const file = { filename: good.filename, bytes: other.bytes }; return upload(twineFields(pkg, file), file); },
    () => { const file = wheel(pkg, metadataText({ name: rng.pick(['evil', 'fuzz-proj']), version: rng.pick(['6.6.6', '']) }).replace(/Version: \n/, '')); return upload(twineFields(pkg, file), { filename: good.filename, bytes: file.bytes }); },
    () => { const file = sdist(pkg, rng.pick([null, metadataText({ name: 'evil', version: '1.0' }), 'garbage'])); return upload(twineFields(pkg, file), file); },
    () => { const file = { filename: 'fuzz_proj-1.0.tar.gz', bytes: hostileBody(rng) }; return upload(twineFields(pkg, file), file); },
    () => { const file = { filename: good.filename, bytes: hostileBody(rng) }; return upload(twineFields(pkg, file), file); },
    // The file that is already there.
    () => upload(twineFields(s.project, s.file), s.file),
    // Hostile names, versions and filenames.
    () => { const fields = { ...twineFields(pkg, good), name: rng.pick([invalidSegment(rng), '-x-', 'a'.repeat(300)]) }; return upload(fields, good); },
    () => upload({ ...twineFields(pkg, good), version: rng.pick(['one.two', '1.0\u0000', 'v', '1.0+', invalidSegment(rng)]) }, good),
    () => upload(twineFields(pkg, good), { filename: rng.pick([`../${good.filename}`, `..\\${good.filename}`, `${invalidSegment(rng)}.whl`, 'fuzz_proj-1.0.exe', '', `/etc/${good.filename}`, `fuzz_proj-1.0-py3-none-any.whl\u0000.txt`]), bytes: good.bytes }),
    () => upload({ ...twineFields(pkg, good), ':action': rng.pick(['submit', 'remove_pkg', '', undefined]), filetype: rng.pick(['sdist', 'bdist_egg', undefined]) }, rng.chance(0.7) ? good : undefined),
    // Multipart bodies that are cut off, lack parts, or are not multipart at all.
    () => { const form = upload(twineFields(pkg, good), good); return { ...form, body: form.body.subarray(0, rng.int(0, form.body.length - 10)) }; },
    () => ({ body: hostileBody(rng), contentType: rng.chance(0.5) ? 'multipart/form-data; boundary=x' : hostileContentType(rng) }),
    () => upload(Object.fromEntries(Array.from({ length: rng.int(100, 2500) }, (_v, i) => [`f${i}`, 'x'])), undefined),
  );
}

function generate(rng: Prng, s: Seeded): FuzzCase {
  const c: FuzzCase = rng.oneOf<FuzzCase>(
    () => { const { body, contentType } = badUpload(rng, s); return { as: 'writer', method: 'POST', path: rng.pick(['/pypi/', '/pypi', '/simple/']), headers: { 'content-type': contentType }, body }; },
    // Pages and files of hostile names, by anyone, with hostile content negotiation.
    () => ({ as: rng.pick(['writer', 'reader', 'anonymous', 'forged'] as const), method: rng.pick(['GET', 'HEAD']), path: `/simple/${hostileName(rng, 'proj')}/${rng.chance(0.3) ? `?format=${safeEncode(hostileSegment(rng).slice(0, 300))}` : ''}`, headers: { accept: rng.pick(['application/vnd.pypi.simple.v1+json', 'text/html;q=0', '*/*;q=abc', 'x'.repeat(2000), '']) } }),
    () => ({ as: rng.pick(['writer', 'reader'] as const), method: rng.pick(['GET', 'HEAD']), path: `/pypi/files/${rng.chance(0.5) ? 'seed-proj' : hostileSegment(rng)}/${rng.oneOf(() => hostileSegment(rng), () => `${s.file.filename}.metadata.metadata`, () => `..%2f${s.file.filename}`, () => s.file.filename.toUpperCase())}`, headers: { range: rng.pick(['bytes=-0', 'bytes=9999999999999-', 'bytes=1-0', 'x']) } }),
    // Valid uploads by callers without push.
    () => { const file = wheel({ name: 'stolen-proj', version: '1.0' }); const { body, contentType } = upload(twineFields({ name: 'stolen-proj', version: '1.0' }, file), file); return { as: rng.pick(['reader', 'anonymous', 'forged'] as const), method: 'POST', path: '/pypi/', headers: { 'content-type': contentType }, body }; },
  );
  if (rng.chance(0.15)) c.headers = { ...c.headers, ...hostileHeaders(rng) };
  return c;
}

fuzzProtocol<Seeded>('pypi', {
  async seed({ url, writer }) {
    const project = { name: 'seed-proj', version: '1.0' };
    const file = wheel(project);
    const { body, contentType } = uploadForm(twineFields(project, file), file);
    const response = await fetch(`${url}/pypi/`, { method: 'POST', headers: { authorization: writer, 'content-type': contentType }, body });
    if (response.status !== 200) throw new Error(`seed upload: ${response.status} ${await response.text()}`);
    return { project, file };
  },
  generate,
});
