// Proves the configured store takes writes and honours create-only writes (If-None-Match: *):
// a probe key written twice must give one success and one PreconditionFailed, then read back
// and delete. NORA's tag and index updates depend on that answer; an S3-compatible service
// that ignores the condition would let two writers silently overwrite each other.
import { randomBytes } from 'node:crypto';
import type { ObjectStore } from '../../storage/object-store.js';
import { isStorageError } from '../../storage/errors.js';
import { probeConditionalWrites } from '../../storage/conditional-probe.js';
import type { DoctorCheck } from './check.js';

const PROBE_PREFIX = '_doctor/probe-';

function reason(error: unknown): string {
  const e = error as { code?: string; message?: string };
  return `${e.code ? `${e.code}: ` : ''}${e.message ?? String(error)}`;
}

export async function probeStore(store: ObjectStore, kind: string): Promise<DoctorCheck[]> {
  const key = `${PROBE_PREFIX}${randomBytes(8).toString('hex')}`;
  const bytes = randomBytes(32);
  const checks: DoctorCheck[] = [];
  try {
    await store.put(key, bytes, { ifNoneMatch: '*' });
  } catch (error) {
    return [{ name: 'store', status: 'fail', detail: `${kind} store: cannot write ${key}: ${reason(error)}` }];
  }
  try {
    const { body } = await store.get(key);
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(chunk as Buffer);
    const same = Buffer.concat(chunks).equals(bytes);
    checks.push(same
      ? { name: 'store', status: 'ok', detail: `${kind} store: wrote, read back and deleted a probe object` }
      : { name: 'store', status: 'fail', detail: `${kind} store: the probe object read back differs from what was written` });
    checks.push(await conditionalWrites(store, kind));
  } catch (error) {
    checks.push({ name: 'store', status: 'fail', detail: `${kind} store: cannot read back ${key}: ${reason(error)}` });
  } finally {
    await store.delete(key).catch(() => undefined);
  }
  return checks;
}

/** The same probe `serve` runs at start on S3 (storage/conditional-probe.ts), reported as a check. */
async function conditionalWrites(store: ObjectStore, kind: string): Promise<DoctorCheck> {
  try {
    await probeConditionalWrites(store);
    return { name: 'conditional writes', status: 'ok', detail: `${kind} store: the second create-only write of the probe key was refused (412)` };
  } catch (error) {
    return isStorageError(error, 'CONDITIONAL_WRITES_UNSUPPORTED')
      ? { name: 'conditional writes', status: 'fail', detail: `${kind} store: a second create-only write (If-None-Match: *) of an existing key succeeded; concurrent writers would overwrite each other` }
      : { name: 'conditional writes', status: 'fail', detail: `${kind} store: the second create-only write failed with ${reason(error)} instead of a precondition failure` };
  }
}
