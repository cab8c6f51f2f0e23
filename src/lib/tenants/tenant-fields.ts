// The keys of one [[tenants]] table and of [quota]: a tenant is one short block of nora.toml
// (name, storage_quota, rate_limit, members, namespaces). Rules spanning tenants (overlapping
// namespaces, duplicate names) are checked in tenant-checks.ts.
import { duration, integer, integers, size, string, strings } from '../config/field.js';
import { parseNamespace } from './namespaces.js';

export const TENANT_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;

export const tenantFields = {
  name: string('', {
    doc: 'Tenant name (lowercase letters, digits, "-" and "_"); its default namespaces are oci:NAME/** and npm:@NAME/*.',
    check: (v) => (TENANT_NAME.test(v) ? undefined : `expected a lowercase name such as "team-frontend", got ${JSON.stringify(v)}`),
  }),
  storage_quota: size('0', { doc: 'Most bytes the distinct blobs of the tenant\'s artifacts may take ("50GB"); 0 sets no quota.' }),
  rate_limit: {
    push: integer(0, { doc: 'Pushes (an OCI manifest, a package version, a Maven POM) per hour, per server; 0 is unlimited.', min: 0 }),
    pull: integer(0, { doc: 'Pulls (an OCI manifest, a tarball, crate or distribution file, a Maven POM) per hour, per server; 0 is unlimited.', min: 0 }),
  },
  members: strings([], {
    doc: 'Users and "group:NAME" groups given push and pull on the tenant\'s namespaces (when [auth] is enabled).',
    check: (list) => {
      const bad = list.find((m) => m === '' || m === 'group:' || /\s/.test(m));
      return bad === undefined ? undefined : `expected a user or "group:NAME", got ${JSON.stringify(bad)}`;
    },
  }),
  namespaces: strings([], {
    doc: 'FORMAT:GLOB names the tenant owns, e.g. ["oci:backend/**", "npm:@backend/*", "maven:com.acme.backend.**", "cargo:backend-*", "pypi:backend-*"]; empty means oci:NAME/** and npm:@NAME/*.',
    check: (list) => {
      for (const text of list) {
        const parsed = parseNamespace(text);
        if (typeof parsed === 'string') return parsed;
      }
      return undefined;
    },
  }),
};

export const quotaFields = {
  warn_at: integers([80, 90], {
    doc: 'Percentages of a tenant\'s storage_quota at which a QuotaWarning event is published (once per crossing).',
    check: (list) => (list.every((n) => n > 0 && n < 100) ? undefined : 'each percentage must be between 1 and 99'),
  }),
  reservation_ttl: duration('15m', { doc: 'How long a push in flight holds its bytes against its tenant\'s quota; a server that dies mid-push frees them after this.' }),
};
