// Tenant errors: a push over its tenant's storage quota (403, rendered by each protocol in its
// own shape: OCI DENIED, npm {"error"}, Cargo errors[].detail, Maven and PyPI plain text), a
// tenant's hourly push or pull limit (429 with Retry-After), and an unknown tenant in /api/usage.
import { defineError } from '../errors/catalog.js';
import { formatBytes } from './bytes.js';

export const TenantErrors = {
  QUOTA_EXCEEDED: defineError('QUOTA_EXCEEDED', 403, 'A push would take its tenant over its storage quota; nothing was stored.',
    (tenant: string, quota: number, used: number, adds: number) =>
      `tenant "${tenant}" is over its storage quota: quota ${formatBytes(quota)}, used ${formatBytes(used)}, this push adds ${formatBytes(adds)}; delete artifacts (then gc) or raise storage_quota`,
    (tenant: string, quota: number, used: number, adds: number) => ({ tenant, quota, used, adds })),
  RATE_LIMITED: defineError('RATE_LIMITED', 429, 'A tenant reached its hourly push or pull limit on this server.',
    (tenant: string, operation: 'push' | 'pull', limit: number, seconds: number) =>
      `tenant "${tenant}" reached its limit of ${limit} ${operation === 'push' ? 'pushes' : 'pulls'} per hour; retry in ${seconds} s`,
    (tenant: string, operation: 'push' | 'pull', limit: number, seconds: number) => ({ tenant, operation, limit, retry_after: seconds })),
  TENANT_UNKNOWN: defineError('TENANT_UNKNOWN', 404, 'No [[tenants]] table has that name.',
    (name: string) => `no tenant named ${JSON.stringify(name.slice(0, 100))}`),
};
