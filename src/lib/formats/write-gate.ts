// The seam through which tenant quotas and push limits see every write of every format: a
// format's write path asks `admit` once it knows what the artifact's blobs weigh and before it
// commits the metadata that references them (before it stores the bytes where the size is known
// up front), and settles or cancels the admission afterwards. The gate throws to refuse (a
// NoraError each protocol renders in its shape). Formats know nothing of tenants.
import type { FormatName } from './format-service.js';

export interface BlobWeight {
  /** Undefined while the bytes are not read yet (their digest unknown): counted as new. */
  digest?: string;
  size: number;
}

export interface PendingWrite {
  format: FormatName;
  /** The name in the format's own spelling, as its events name it. */
  name: string;
  /** Every blob the artifact will reference. */
  blobs: BlobWeight[];
  /** False for a write that is not a push of its own (a second file of a Maven version): not rate limited. */
  countsAsPush?: boolean;
  /** Who pushes (for the QuotaExceeded event). */
  actor?: string;
}

export interface Admission {
  /** The write is committed: its bytes now count through the metadata; the hold is dropped. */
  settle(): Promise<void>;
  /** The write failed: the hold is dropped. Never throws. */
  cancel(): Promise<void>;
}

export interface WriteGate {
  admit(write: PendingWrite): Promise<Admission>;
  /**
   * Refuses bytes that arrive before the artifact referencing them (an OCI blob upload) when they
   * would take the tenant over its quota; holds nothing (the manifest push is admitted later).
   */
  check(write: PendingWrite): Promise<void>;
}

const NOTHING: Admission = { settle: async () => undefined, cancel: async () => undefined };

/** The gate of a registry without tenants: admits everything. */
export const OPEN_GATE: WriteGate = { admit: async () => NOTHING, check: async () => undefined };

/** Runs `commit` under an admission: settled when it succeeds, cancelled when it throws. */
export async function admitted<T>(gate: WriteGate, write: PendingWrite, commit: () => Promise<T>): Promise<T> {
  const admission = await gate.admit(write);
  let result: T;
  try {
    result = await commit();
  } catch (error) {
    await admission.cancel();
    throw error;
  }
  await admission.settle();
  return result;
}
