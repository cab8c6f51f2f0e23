// Rules that span several keys, checked after every source is applied.
import type { ConfigProblem } from './config-error.js';
import type { NoraConfig } from './schema.js';

export function checkConsistency(config: NoraConfig, origin: (path: string[]) => string | undefined): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (config.storage.backend === 's3' && config.storage.s3.bucket === '') {
    problems.push({ key: 'storage.s3.bucket', message: 'required when storage.backend = "s3"', origin: origin(['storage', 'backend']) });
  }
  if ((config.storage.s3.access_key_id === '') !== (config.storage.s3.secret_access_key === '')) {
    problems.push({ key: 'storage.s3.access_key_id', message: 'access_key_id and secret_access_key must be set together', origin: origin(['storage', 's3']) });
  }
  const upstreams = config.docker.upstreams;
  upstreams.forEach((u, i) => {
    const at = origin(['docker', 'upstreams', String(i)]);
    if (u.name === '' || u.url === '') problems.push({ key: `docker.upstreams[${i}]`, message: 'name and url are required', origin: at });
    if (!u.default && u.prefix === '') problems.push({ key: `docker.upstreams[${i}].prefix`, message: 'an upstream needs a prefix or default = true', origin: at });
    if (upstreams.findIndex((o) => o.name === u.name) !== i) problems.push({ key: `docker.upstreams[${i}].name`, message: `duplicate upstream name "${u.name}"`, origin: at });
    if ([u.password, u.password_file, u.password_env].filter(Boolean).length > 1) problems.push({ key: `docker.upstreams[${i}].password`, message: 'set at most one of password, password_file and password_env', origin: at });
  });
  if (upstreams.filter((u) => u.default).length > 1) problems.push({ key: 'docker.upstreams', message: 'at most one upstream may have default = true', origin: origin(['docker', 'upstreams']) });
  return problems;
}
