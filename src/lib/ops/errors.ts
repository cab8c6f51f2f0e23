// Errors of the management operations (`/api/`, `nora tag`, `nora delete`), in NORA's JSON shape.
import { defineError } from '../errors/catalog.js';

export const OpsErrors = {
  BAD_REFERENCE: defineError('BAD_REFERENCE', 400, 'An artifact reference is malformed.',
    (ref: string, why: string) => `invalid reference ${JSON.stringify(ref)}: ${why}`),
  AMBIGUOUS_REFERENCE: defineError('AMBIGUOUS_REFERENCE', 400, 'An artifact reference can be read in two ways; prefix it with its type.',
    (ref: string, readings: string[]) => `ambiguous reference ${JSON.stringify(ref)}: could be ${readings.join(' or ')}; write it with an explicit type prefix`),
  ARTIFACT_NOT_FOUND: defineError('ARTIFACT_NOT_FOUND', 404, 'No artifact matches the reference.',
    (ref: string) => `not found: ${ref}`),
  GC_RUNNING: defineError('GC_RUNNING', 409, 'A garbage collection is already running in this server.',
    () => 'a garbage collection is already running; follow it with GET /api/gc'),
  RETENTION_RUNNING: defineError('RETENTION_RUNNING', 409, 'A retention pass is already running in this server.',
    () => 'a retention pass is already running; follow it with GET /api/retention'),
};

export const BackupErrors = {
  BACKUP_INVALID: defineError('BACKUP_INVALID', 400, 'A backup archive is corrupted, truncated or not a NORA backup.',
    (why: string) => `the backup archive cannot be restored: ${why}; no artifact was made visible (blobs written so far are unreferenced and go at the next gc)`),
  TARGET_NOT_EMPTY: defineError('TARGET_NOT_EMPTY', 409, 'The store to restore into already holds artifacts.',
    (kind: string) => `the target ${kind} store is not empty; restore into an empty store, or pass --force to merge the backup into it`),
};
