// Real npm tarballs (ustar + gzip, files under package/) and npm-CLI-shaped publish bodies for
// the npm benchmark, built in memory so seeding 50 packages takes no npm process per package.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

function header(name, size) {
  const block = Buffer.alloc(512);
  const put = (text, offset, length) => block.write(text, offset, length, 'ascii');
  put(name, 0, 100);
  put('0000644\0', 100, 8);
  put('0000000\0', 108, 8);
  put('0000000\0', 116, 8);
  put(`${size.toString(8).padStart(11, '0')}\0`, 124, 12);
  put(`${Math.floor(Date.now() / 1000).toString(8).padStart(11, '0')}\0`, 136, 12);
  put('        ', 148, 8);
  put('0', 156, 1);
  put('ustar\0', 257, 6);
  put('00', 263, 2);
  let sum = 0;
  for (const byte of block) sum += byte;
  put(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8);
  return block;
}

/** A gzipped tarball with `files` ({ path: content }) under package/. */
export function makeTarball(files) {
  const parts = [];
  for (const [path, content] of Object.entries(files)) {
    const data = Buffer.isBuffer(content) ? content : Buffer.from(content);
    parts.push(header(`package/${path}`, data.length), data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(parts));
}

/** The body `npm publish` sends for one version of `name`. */
export function publishBody(name, version, dependencies = {}) {
  const manifest = { name, version, main: 'index.js', description: `benchmark package ${name}`, dependencies };
  const tarball = makeTarball({ 'package.json': JSON.stringify(manifest), 'index.js': `module.exports = ${JSON.stringify(name)};\n` });
  return {
    _id: name, name, 'dist-tags': { latest: version },
    versions: { [version]: { ...manifest, _id: `${name}@${version}`, dist: {
      integrity: `sha512-${createHash('sha512').update(tarball).digest('base64')}`,
      shasum: createHash('sha1').update(tarball).digest('hex'),
      tarball: `http://localhost/${name}/-/${name}-${version}.tgz`,
    } } },
    _attachments: { [`${name}-${version}.tgz`]: { content_type: 'application/octet-stream', data: tarball.toString('base64'), length: tarball.length } },
  };
}
