// Deploys (PUT) into the local repository: artifact files become verified blobs recorded in the
// artifact document; client checksum files are verified against the stored file, or kept and
// checked when their file lands; client maven-metadata.xml is read and discarded, because the
// server generates metadata from what is stored (parallel deploys never clobber each other).
import { OPEN_GATE, type Admission, type PendingWrite } from '../formats/write-gate.js';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CommonErrors } from '../errors/catalog.js';
import { updateDocument } from '../storage/documents.js';
import { artifactKey, own, readArtifact, type ArtifactDocument, type StoredFile } from './artifact-document.js';
import { artifactName, groupIdOf, isSnapshot, parseChecksumBody, type ArtifactCoordinate, type ChecksumAlgorithm } from './coordinates.js';
import type { MavenContext } from './context.js';
import { MavenErrors } from './errors.js';
import { VerifyingStream, type ExpectedChecksums } from '../streams/verifying-stream.js';
import { passHandOver } from '../streams/handed-over.js';

export interface FileTarget {
  artifact: ArtifactCoordinate;
  version: string;
  filename: string;
}

const pathOf = (t: FileTarget) => `${artifactName(t.artifact)}/${t.version}/${t.filename}`;

function emptyDocument(artifact: ArtifactCoordinate, now: string): ArtifactDocument {
  return { groupId: groupIdOf(artifact), artifactId: artifact.artifactId, versions: {}, updated: now };
}

function checkExpected(target: FileTarget, expected: ExpectedChecksums, file: Pick<StoredFile, ChecksumAlgorithm>): void {
  for (const [algorithm, hex] of Object.entries(expected) as Array<[ChecksumAlgorithm, string]>) {
    if (file[algorithm] !== hex) throw MavenErrors.MAVEN_CHECKSUM_MISMATCH(pathOf(target), algorithm, hex, file[algorithm]);
  }
}

function refuseRedeploy(ctx: MavenContext, target: FileTarget, doc: ArtifactDocument | undefined): void {
  const exists = own(own(doc?.versions, target.version)?.files, target.filename);
  if (exists && !isSnapshot(target.version) && !ctx.config.allow_redeploy) throw MavenErrors.MAVEN_RELEASE_EXISTS(pathOf(target));
}

/**
 * A deploy must be reachable by its name: groupId "org.example" lives in org/example/, so a group
 * directory holding '.' (what a non-m2compatible Ivy layout sends) names no groupId:artifactId.
 */
function refuseDottedGroup(target: FileTarget, label: string): void {
  const dotted = target.artifact.groupPath.find((s) => s.includes('.'));
  if (dotted !== undefined) throw MavenErrors.MAVEN_INVALID_PATH(label, `group directory "${dotted}" holds '.', but a groupId's dots are directories in the Maven 2 layout (deploy ${dotted} as ${dotted.replaceAll('.', '/')}/)`);
}

export interface DeployOptions {
  contentLength?: number;
  actor?: string;
  /** Checksums the bytes must have (a replication's copy of a remote's file), besides any the client sent first. */
  expected?: ExpectedChecksums;
}

/** Stores one artifact file. Refuses a release redeploy before reading the body. */
export async function deployFile(ctx: MavenContext, target: FileTarget, body: Readable, options: DeployOptions = {}): Promise<StoredFile> {
  refuseDottedGroup(target, pathOf(target));
  const limit = ctx.config.max_file_size;
  if (options.contentLength !== undefined && options.contentLength > limit) throw CommonErrors.TOO_LARGE(pathOf(target), limit);
  const before = await readArtifact(ctx.store, target.artifact);
  refuseRedeploy(ctx, target, before);
  // One push per version: its POM (jars, sources and javadoc of the version are parts of it).
  const push = { format: 'maven' as const, name: artifactName(target.artifact), countsAsPush: target.filename.endsWith('.pom'), ...(options.actor ? { actor: options.actor } : {}) };
  // With a Content-Length the quota is asked before a byte is stored; otherwise once the file is read.
  const early = options.contentLength === undefined ? undefined : await (ctx.gate ?? OPEN_GATE).admit({ ...push, blobs: [{ size: options.contentLength }] });
  try {
    return await storeFile(ctx, target, body, before, options, early ? undefined : push, early);
  } catch (error) {
    await early?.cancel();
    throw error;
  }
}

async function storeFile(ctx: MavenContext, target: FileTarget, body: Readable, before: ArtifactDocument | undefined, options: DeployOptions,
  late: Omit<PendingWrite, 'blobs'> | undefined, early: Admission | undefined): Promise<StoredFile> {
  const limit = ctx.config.max_file_size;
  const expected = { ...own(own(before?.versions, target.version)?.pending, target.filename), ...options.expected };
  // The request is piped, not passed to pipeline(): a refused body stops the copy without destroying
  // the client's connection, so it still receives the error response.
  let input: Readable = passHandOver(body, new PassThrough());
  body.on('error', (error) => input.destroy(error));
  body.pipe(input as PassThrough);
  if (Object.keys(expected).length > 0) {
    const verifier = passHandOver(input, new VerifyingStream(expected, (algorithm, sent, actual) => MavenErrors.MAVEN_CHECKSUM_MISMATCH(pathOf(target), algorithm, sent, actual)));
    pipeline(input, verifier).catch(() => undefined);
    input = verifier;
  }
  const written = await ctx.blobs.write(input, {
    extraHashes: ['sha1', 'md5', 'sha512'], maxSize: limit, label: pathOf(target),
    ...(options.contentLength === undefined ? {} : { expectedSize: options.contentLength }),
  });
  const admission = early ?? (await (ctx.gate ?? OPEN_GATE).admit({ ...late!, blobs: [{ digest: written.digest, size: written.size }] }));
  const now = new Date().toISOString();
  const file: StoredFile = { digest: written.digest, size: written.size, md5: written.hashes.md5!, sha1: written.hashes.sha1!, sha256: written.hashes.sha256!, sha512: written.hashes.sha512!, modified: now };
  await updateDocument<ArtifactDocument>(ctx.store, artifactKey('local', target.artifact), (current) => {
    refuseRedeploy(ctx, target, current);
    const doc = current ? structuredClone(current) : emptyDocument(target.artifact, now);
    const entry = own(doc.versions, target.version) ?? { created: now, files: {} };
    checkExpected(target, { ...own(entry.pending, target.filename), ...options.expected }, file);
    if (entry.pending) {
      delete entry.pending[target.filename];
      if (Object.keys(entry.pending).length === 0) delete entry.pending;
    }
    entry.files[target.filename] = file;
    doc.versions[target.version] = entry;
    doc.updated = now;
    return doc;
  }).catch(async (error: unknown) => {
    if (!early) await admission.cancel();
    throw error;
  });
  ctx.events.publish({ type: 'ArtifactPushed', artifact: { format: 'maven', name: artifactName(target.artifact), reference: `${target.version}/${target.filename}`, digest: file.digest }, size: file.size, ...(options.actor ? { actor: options.actor } : {}) });
  await admission.settle();
  return file;
}


/**
 * Verifies a client checksum: against the stored file when it is there (mismatch refused), else
 * kept in the document and checked when the file is deployed.
 */
export async function deployChecksum(ctx: MavenContext, target: FileTarget, algorithm: ChecksumAlgorithm, text: string): Promise<'verified' | 'pending'> {
  refuseDottedGroup(target, `${pathOf(target)}.${algorithm}`);
  const hex = parseChecksumBody(algorithm, text);
  if (!hex) throw MavenErrors.MAVEN_BAD_CHECKSUM(`${pathOf(target)}.${algorithm}`, algorithm);
  let outcome: 'verified' | 'pending' = 'verified';
  await updateDocument<ArtifactDocument>(ctx.store, artifactKey('local', target.artifact), (current) => {
    const file = own(own(current?.versions, target.version)?.files, target.filename);
    if (file) {
      checkExpected(target, { [algorithm]: hex }, file);
      outcome = 'verified';
      return undefined;
    }
    const now = new Date().toISOString();
    const doc = current ? structuredClone(current) : emptyDocument(target.artifact, now);
    const entry = own(doc.versions, target.version) ?? { created: now, files: {} };
    entry.pending = { ...entry.pending, [target.filename]: { ...own(entry.pending, target.filename), [algorithm]: hex } };
    doc.versions[target.version] = entry;
    outcome = 'pending';
    return doc;
  });
  return outcome;
}
