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
  return problems;
}
