// Fuzz /maven2: hostile repository paths (traversal, odd and huge segments, unicode, control
// characters), redeploys of a release, checksums that lie or are not checksums, files that do
// not belong to their coordinates, deletes of versions that are not there; and valid deploys by
// callers without push. See helpers/fuzz-run.ts.
import { createHash } from 'node:crypto';
import { fuzzProtocol, type FuzzCase } from './helpers/fuzz-run.js';
import { hostileBody, hostileContentType, hostileHeaders, hostileName, hostileSegment, invalidName, invalidSegment } from './helpers/hostile.js';
import type { Prng } from './helpers/prng.js';

interface Seeded { dir: string; jar: Buffer }

const SEED_DIR = 'com/acme/seed/1.0';
const FILES = ['seed-1.0.jar', 'seed-1.0.pom'];

function generate(rng: Prng, s: Seeded): FuzzCase {
  const c: FuzzCase = rng.oneOf<FuzzCase>(
    // Hostile paths, read by anyone.
    () => ({ as: rng.pick(['writer', 'reader', 'anonymous', 'forged'] as const), method: rng.pick(['GET', 'HEAD']), path: `/maven2/${rng.chance(0.3) ? `${s.dir}/${hostileSegment(rng)}` : hostileName(rng, 'com')}${rng.pick(['', '/', '/maven-metadata.xml', '/maven-metadata.xml.sha1'])}` }),
    // Writes to paths that are surely invalid.
    () => ({ as: 'writer', method: rng.pick(['PUT', 'DELETE']), path: `/maven2/${invalidName(rng, 'com')}${rng.pick(['', '/1.0/x-1.0.jar', '/maven-metadata.xml', '/1.0/x-1.0.jar.sha1'])}`, body: hostileBody(rng) }),
    () => ({ as: 'writer', method: 'PUT', path: `/maven2/com/acme/seed/${rng.oneOf(() => invalidSegment(rng), () => '1.0')}/${rng.oneOf(() => invalidSegment(rng), () => 'other-1.0.jar', () => 'seed-2.0.jar', () => 'seed-1.0', () => '.seed-1.0.jar')}`, body: hostileBody(rng) }),
    // A release redeploy, with any body and lying lengths.
    () => ({ as: 'writer', method: 'PUT', path: `/maven2/${s.dir}/${rng.pick(FILES)}`, headers: { 'content-type': hostileContentType(rng) }, body: rng.chance(0.5) ? s.jar : hostileBody(rng) }),
    // Checksums of the stored files that lie, are not hex, or are far too long.
    () => {
      const algorithm = rng.pick(['md5', 'sha1', 'sha256', 'sha512']);
      const length = { md5: 32, sha1: 40, sha256: 64, sha512: 128 }[algorithm]!;
      const text = rng.oneOf(() => rng.hex(length), () => `${rng.hex(length)}  ${rng.pick(FILES)}`, () => rng.hex(length - 1), () => 'Z'.repeat(length), () => '', () => 'a'.repeat(rng.int(5000, 80_000)), () => hostileBody(rng).toString('latin1'));
      return { as: 'writer', method: 'PUT', path: `/maven2/${s.dir}/${rng.pick(FILES)}.${algorithm}`, body: Buffer.from(text, 'latin1') };
    },
    // Deletes of versions that are not there, or of paths that are no version.
    () => ({ as: 'writer', method: 'DELETE', path: `/maven2/com/acme/seed/${rng.oneOf(() => '9.9.9', () => invalidSegment(rng), () => `1.0/${rng.pick(FILES)}`, () => '')}` }),
    // Valid deploys and deletes by callers without the right.
    () => ({ as: rng.pick(['reader', 'anonymous', 'forged'] as const), method: 'PUT', path: `/maven2/com/acme/seed/${rng.pick(['2.0/seed-2.0.jar', '3.0-SNAPSHOT/seed-3.0-SNAPSHOT.jar', '2.0/seed-2.0.jar.sha1'])}`, body: Buffer.from(rng.hex(40)) }),
    () => ({ as: rng.pick(['reader', 'anonymous', 'forged'] as const), method: 'DELETE', path: `/maven2/${s.dir}` }),
  );
  if (rng.chance(0.15)) c.headers = { ...c.headers, ...hostileHeaders(rng) };
  return c;
}

fuzzProtocol<Seeded>('maven', {
  async seed({ url, writer }) {
    const jar = Buffer.from(`fuzz seed jar ${createHash('sha1').update(String(Math.random())).digest('hex')}`);
    const pom = Buffer.from('<project><modelVersion>4.0.0</modelVersion><groupId>com.acme</groupId><artifactId>seed</artifactId><version>1.0</version></project>');
    for (const [file, bytes] of [['seed-1.0.jar', jar], ['seed-1.0.pom', pom]] as const) {
      const response = await fetch(`${url}/maven2/${SEED_DIR}/${file}`, { method: 'PUT', headers: { authorization: writer }, body: bytes });
      if (response.status !== 201) throw new Error(`seed deploy of ${file}: ${response.status} ${await response.text()}`);
    }
    return { dir: SEED_DIR, jar };
  },
  generate,
});
