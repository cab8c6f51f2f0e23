// Publish bodies shaped like the npm CLI's (one version, the tarball base64 in _attachments),
// built from any bytes, with correct integrity and shasum unless a test overrides them.
import { createHash } from 'node:crypto';

export interface PublishBodyOptions {
  version?: string;
  tarball?: Buffer;
  dependencies?: Record<string, string>;
  tag?: string;
  description?: string;
}

export function tarballBytes(seed: string, size = 256): Buffer {
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i++) out[i] = (seed.charCodeAt(i % seed.length) * 31 + i) & 0xff;
  return out;
}

export function publishBody(name: string, options: PublishBodyOptions = {}): Record<string, any> {
  const version = options.version ?? '1.0.0';
  const tarball = options.tarball ?? tarballBytes(`${name}@${version}`);
  const bare = name.startsWith('@') ? name.split('/')[1]! : name;
  return {
    _id: name,
    name,
    description: options.description ?? `the ${name} package`,
    'dist-tags': { [options.tag ?? 'latest']: version },
    versions: {
      [version]: {
        name, version, description: options.description ?? `the ${name} package`, main: 'index.js',
        ...(options.dependencies ? { dependencies: options.dependencies } : {}),
        _id: `${name}@${version}`,
        dist: {
          integrity: `sha512-${createHash('sha512').update(tarball).digest('base64')}`,
          shasum: createHash('sha1').update(tarball).digest('hex'),
          tarball: `http://localhost/npm/${name}/-/${bare}-${version}.tgz`,
        },
      },
    },
    access: null,
    _attachments: {
      [`${name}-${version}.tgz`]: { content_type: 'application/octet-stream', data: tarball.toString('base64'), length: tarball.length },
    },
  };
}
