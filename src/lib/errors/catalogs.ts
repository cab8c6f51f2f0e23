// Every error catalog, listed statically (the bundle never discovers modules), with the part of
// NORA that raises it. The README's error table is generated from this list (reference.ts), and
// test/unit/errors/ fails when a module defines errors that no catalog here holds.
import { AuthErrors } from '../auth/errors.js';
import { CargoErrors } from '../cargo/errors.js';
import { MavenErrors } from '../maven/errors.js';
import { NpmErrors } from '../npm/errors.js';
import { OciErrors, WIRE_CODES } from '../oci/errors.js';
import { BackupErrors, OpsErrors } from '../ops/errors.js';
import { PypiErrors } from '../pypi/errors.js';
import { StorageErrors } from '../storage/errors.js';
import { UpstreamErrors } from '../upstream/errors.js';
import { WebhookErrors } from '../webhooks/errors.js';
import { CommonErrors } from './catalog.js';
import type { RegisteredError } from './registry.js';

export interface ErrorCatalog {
  /** Who raises these, as the README's table names it. */
  readonly where: string;
  readonly errors: Readonly<Record<string, RegisteredError>>;
  /** Codes the protocol sends as another (wire) code, e.g. OCI's variants as spec codes. */
  readonly sentAs?: Readonly<Record<string, string>>;
}

export const ERROR_CATALOGS: readonly ErrorCatalog[] = [
  { where: 'every protocol', errors: CommonErrors },
  { where: 'storage', errors: StorageErrors },
  { where: 'access control', errors: AuthErrors },
  { where: 'OCI', errors: OciErrors, sentAs: WIRE_CODES },
  { where: 'pull-through caches', errors: UpstreamErrors },
  { where: 'npm', errors: NpmErrors },
  { where: 'Maven', errors: MavenErrors },
  { where: 'Cargo', errors: CargoErrors },
  { where: 'PyPI', errors: PypiErrors },
  { where: 'management API', errors: OpsErrors },
  { where: 'backup/restore', errors: BackupErrors },
  { where: 'webhooks', errors: WebhookErrors },
];
