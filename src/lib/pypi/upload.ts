// Stores an uploaded distribution file: bytes stream into the blob store while every declared
// digest is computed (sha256 verified by the blob store itself, md5 and BLAKE2b-256 here),
// wheels get their METADATA extracted (PEP 658), and only then is the file added to the
// project document. The file and its METADATA stay staged (blob-store.ts) until the commit: a
// refusal before it discards them and leaves the store as it was; a refusal at the commit (another
// upload won the filename) leaves the committed blobs to gc, as the winner may share them.
import { admitted, OPEN_GATE, type WriteGate } from '../formats/write-gate.js';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BlobStore, StagedBlob } from '../blobs/blob-store.js';
import type { ObjectStore } from '../storage/object-store.js';
import type { EventBus } from '../events/bus.js';
import { CommonErrors } from '../errors/catalog.js';
import { Blake2b256Stream } from './blake2-stream.js';
import { extractWheelMetadata, type ExtractedMetadata } from './wheel-metadata.js';
import { checkSdistMetadata } from './sdist-metadata.js';
import { readProject, updateProject, type StoredFile } from './project-store.js';
import type { PreparedUpload } from './upload-form.js';
import { PypiErrors } from './errors.js';

export interface UploadDeps {
  store: ObjectStore;
  blobs: BlobStore;
  events: EventBus;
  /** Asked before the staged file is committed (tenant quotas); admits everything when absent. */
  gate?: WriteGate | undefined;
}

export interface ReceivedFile {
  blob: StagedBlob;
  metadata?: ExtractedMetadata;
}

/** PYPI_FILE_EXISTS when the filename is already published (checked again at commit). */
export async function assertNewFile(store: ObjectStore, upload: PreparedUpload): Promise<void> {
  const project = await readProject(store, upload.project);
  if (project?.files.some((file) => file.filename === upload.filename)) throw PypiErrors.FILE_EXISTS(upload.filename);
}

/** Removes what an abandoned upload staged (its own tmp/ objects; never a committed blob). */
export async function discardReceived(received: ReceivedFile): Promise<void> {
  await Promise.all([received.blob.discard(), received.metadata?.blob.discard()]);
}

/** Streams the file into the blob store and verifies it, staged; nothing remains stored when it throws. */
export async function receiveFile(deps: UploadDeps, upload: PreparedUpload, body: Readable, maxSize: number): Promise<ReceivedFile> {
  const { digests } = upload;
  const blake2 = digests.blake2_256 ? new Blake2b256Stream() : undefined;
  // pipeline() also propagates an error the body had before we got to read it (a cut-off form).
  if (blake2) pipeline(body, blake2).catch(() => undefined);
  const source = blake2 ?? body;
  const blob = await deps.blobs.stage(source, {
    ...(digests.sha256 ? { expected: { algorithm: 'sha256', hex: digests.sha256 } } : {}),
    extraHashes: ['md5'],
    maxSize,
    label: `upload of ${upload.filename}`,
  });
  const received: ReceivedFile = { blob };
  try {
    if (digests.md5 && blob.hashes.md5 !== digests.md5) throw CommonErrors.DIGEST_MISMATCH(`md5:${digests.md5}`, `md5:${blob.hashes.md5}`);
    if (blake2 && digests.blake2_256 !== blake2.hex()) throw CommonErrors.DIGEST_MISMATCH(`blake2_256:${digests.blake2_256}`, `blake2_256:${blake2.hex()}`);
    if (upload.dist.kind === 'wheel') received.metadata = await extractWheelMetadata(deps.blobs, blob, upload.filename, upload);
    else await checkSdistMetadata(blob, upload.filename, upload);
    return received;
  } catch (error) {
    await discardReceived(received).catch(() => undefined);
    throw error;
  }
}

/** Commits the received blobs and adds the file to its project; PYPI_FILE_EXISTS if another upload won the name. */
export async function commitUpload(deps: UploadDeps, upload: PreparedUpload, received: ReceivedFile, actor?: string): Promise<StoredFile> {
  const { blob, metadata } = received;
  const requiresPython = upload.requiresPython ?? metadata?.requiresPython;
  const file: StoredFile = {
    filename: upload.filename,
    version: upload.version,
    kind: upload.dist.kind,
    digest: blob.digest,
    sha256: blob.hashes.sha256!,
    ...(blob.hashes.md5 ? { md5: blob.hashes.md5 } : {}),
    ...(upload.digests.blake2_256 ? { blake2_256: upload.digests.blake2_256 } : {}),
    size: blob.size,
    uploadTime: new Date().toISOString(),
    ...(requiresPython ? { requiresPython } : {}),
    ...(metadata ? { metadata: { digest: metadata.blob.digest, sha256: metadata.blob.hashes.sha256!, size: metadata.blob.size } } : {}),
  };
  try {
    const weights = [{ digest: blob.digest, size: blob.size }, ...(metadata ? [{ digest: metadata.blob.digest, size: metadata.blob.size }] : [])];
    await admitted(deps.gate ?? OPEN_GATE, { format: 'pypi', name: upload.project, blobs: weights, ...(actor ? { actor } : {}) }, async () => {
      await blob.commit();
      await metadata?.blob.commit();
      await updateProject(deps.store, upload.project, (current) => {
        if (current?.files.some((existing) => existing.filename === file.filename)) throw PypiErrors.FILE_EXISTS(file.filename);
        return { name: current?.name ?? upload.name, files: [...(current?.files ?? []), file] };
      });
    });
  } catch (error) {
    await discardReceived(received).catch(() => undefined);
    throw error;
  }
  deps.events.publish({ type: 'ArtifactPushed', artifact: { format: 'pypi', name: upload.project, reference: file.filename, digest: file.digest }, size: file.size, ...(actor ? { actor } : {}) });
  return file;
}
