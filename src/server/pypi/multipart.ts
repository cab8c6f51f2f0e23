// Reads twine's multipart/form-data upload as a stream (busboy): fields are collected, and the
// `content` file part is handed to `onFile` together with the fields received before it (twine
// sends every metadata field first). The first error wins; after it the rest of the body is
// drained so the client can read the answer, except for oversized bodies, which are cut off.
import type { Readable } from 'node:stream';
import type { IncomingHttpHeaders } from 'node:http';
import busboy from 'busboy';
import { CommonErrors } from '../../lib/errors/catalog.js';
import { isNoraError } from '../../lib/errors/nora-error.js';
import { PypiErrors } from '../../lib/pypi/errors.js';

export interface FormLimits {
  /** Largest single field (twine sends the whole README as `description`). */
  fieldSize: number;
  /** Bytes of all fields together (they are held in memory). */
  fieldsSize: number;
  /** Body bytes accepted in total; more is cut off with TOO_LARGE. */
  bodySize: number;
}

export interface FormResult<T> {
  fields: Map<string, string>;
  result: T;
}

export function readUploadForm<T>(
  body: Readable,
  headers: IncomingHttpHeaders,
  limits: FormLimits,
  onFile: (filename: string, stream: Readable, fields: ReadonlyMap<string, string>) => Promise<T>,
): Promise<FormResult<T>> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers, preservePath: true, limits: { fieldSize: limits.fieldSize, fields: 2000, files: 4, parts: 2100 } });
    } catch (error) {
      reject(PypiErrors.BAD_MULTIPART((error as Error).message));
      return;
    }
    const fields = new Map<string, string>();
    let failure: unknown;
    let fileWork: Promise<T> | undefined;
    let currentFile: Readable | undefined;
    let received = 0;
    let fieldBytes = 0;
    let ended = false;
    let settled = false;
    const settle = (failed: unknown, result?: T) => {
      if (settled) return;
      settled = true;
      body.unpipe(parser);
      if (!failed) { resolve({ fields, result: result as T }); return; }
      const error = failed instanceof Error ? failed : PypiErrors.BAD_MULTIPART('upload failed');
      // Stop the file part and wait until its blob write has cleaned up before answering.
      if (currentFile && !currentFile.readableEnded) currentFile.destroy(error);
      parser.destroy();
      void (fileWork ?? Promise.resolve()).catch(() => undefined).then(() => reject(error));
    };
    const fail = (error: unknown) => {
      failure ??= error;
      // An oversized body is not read to its end: answer now, the connection is closed after.
      if (isNoraError(error) && error.code === 'TOO_LARGE') settle(error);
    };

    parser.on('field', (name, value, info) => {
      fieldBytes += name.length + value.length;
      if (info.valueTruncated) fail(PypiErrors.BAD_FIELD(name, `longer than ${limits.fieldSize} bytes`));
      else if (fieldBytes > limits.fieldsSize) fail(CommonErrors.TOO_LARGE('upload form fields', limits.fieldsSize));
      else if (!fields.has(name)) fields.set(name, value);
    });
    parser.on('file', (name, stream, info) => {
      if (name !== 'content' || fileWork || failure) { stream.resume(); return; }
      currentFile = stream;
      // Errors are observed by the blob write; this keeps an early one (before it starts) handled.
      stream.on('error', () => undefined);
      const snapshot = new Map(fields);
      fileWork = onFile(info.filename ?? '', stream, snapshot);
      // A failed file write (store full, bad digest) may have destroyed the part busboy is
      // feeding, which stalls the parser: answer now; the error handler drains the request.
      fileWork.catch((error: unknown) => { stream.resume(); fail(error); settle(failure); });
    });
    for (const event of ['partsLimit', 'filesLimit', 'fieldsLimit'] as const) {
      parser.on(event, () => fail(PypiErrors.BAD_MULTIPART(`too many form parts (${event})`)));
    }
    // busboy does not emit 'close' after an error (a truncated body): answer once the file part is cleaned up.
    parser.on('error', (error: Error) => { fail(PypiErrors.BAD_MULTIPART(error.message)); settle(failure); });
    parser.on('close', () => {
      if (failure) { settle(failure); return; }
      if (!fileWork) { settle(PypiErrors.MISSING_FIELD('content')); return; }
      fileWork.then((result) => (failure ? settle(failure) : settle(undefined, result)), (error: unknown) => settle(failure ?? error));
    });

    body.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > limits.bodySize) fail(CommonErrors.TOO_LARGE('upload body', limits.bodySize));
    });
    body.on('error', (error) => { fail(PypiErrors.BAD_MULTIPART(error.message)); parser.destroy(error); settle(failure); });
    body.on('end', () => { ended = true; });
    body.on('close', () => {
      if (!ended && !settled) {
        const error = PypiErrors.BAD_MULTIPART('the connection closed before the body was complete');
        fail(error);
        parser.destroy(error);
        settle(failure);
      }
    });
    body.pipe(parser);
  });
}
