// Reads a PUT /<name> body as it streams in: the tarball inside `_attachments.<file>.data` is
// base64-decoded chunk by chunk straight into the blob store (verified against the sha512
// integrity declared earlier in the body, as npm orders it), and everything else is collected and
// parsed as JSON with that string left empty. Memory stays at the size of the metadata, not of
// the tarball. The tarball is only staged (blob-store.ts): the publish commits it once the body
// is validated. On any failure here nothing the read created stays in the store.
import { PassThrough, type Readable } from 'node:stream';
import type { BlobStore, StagedBlob } from '../blobs/blob-store.js';
import { CommonErrors } from '../errors/catalog.js';
import { isNoraError } from '../errors/nora-error.js';
import { Base64Decoder } from './base64-decoder.js';
import { NpmErrors } from './errors.js';
import { formatIntegrity, parseIntegrity } from './integrity.js';

export interface StreamedBody {
  /** The JSON body, with the attachment's `data` as "". */
  json: unknown;
  /**
   * The attachment, staged as a blob addressed by its sha512 (none for metadata-only bodies): the
   * caller commits it, or discards it when the request is refused.
   */
  blob?: StagedBlob;
}

interface Frame { array: boolean; key?: string; expectKey: boolean }

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

export async function readStreamedBody(body: Readable, options: { blobs: BlobStore; maxSize: number }): Promise<StreamedBody> {
  const stack: Frame[] = [];
  const kept: Buffer[] = [];
  let total = 0;
  let inString = false;
  let escaped = false;
  let capture: number[] | undefined; // raw bytes of a key or of the integrity value
  let captureIsKey = false;
  let streaming = false; // inside the attachment's data string
  let integrity: string | undefined;
  let upload: { sink: PassThrough; decoder: Base64Decoder; done: Promise<StagedBlob> } | undefined;
  let written: StagedBlob | undefined;

  const path = () => stack.map((f) => (f.array ? '[]' : f.key ?? ''));
  const startUpload = () => {
    if (upload) throw NpmErrors.BAD_PUBLISH('exactly one attachment per publish, got more');
    const declared = parseIntegrity(integrity);
    const sink = new PassThrough();
    const done = options.blobs.stage(sink, {
      ...(declared ? { expected: { algorithm: 'sha512' as const, hex: declared.hex } } : { algorithm: 'sha512' as const }),
      extraHashes: ['sha1'], maxSize: options.maxSize, label: 'npm tarball',
    });
    done.catch(() => undefined);
    upload = { sink, decoder: new Base64Decoder(), done };
  };
  const feed = async (text: string) => {
    const bytes = upload!.decoder.push(text);
    if (bytes.length > 0 && !upload!.sink.write(bytes)) await new Promise<void>((resolve) => upload!.sink.once('drain', resolve));
  };

  try {
    for await (const raw of body) {
      const chunk = raw as Buffer;
      total += chunk.length;
      if (total > options.maxSize) throw CommonErrors.TOO_LARGE('npm publish body', options.maxSize);
      let i = 0;
      let keptFrom = 0;
      while (i < chunk.length) {
        if (streaming) {
          if (escaped) { // only "\/" can appear in base64 text
            escaped = false;
            if (chunk[i] !== 0x2f) throw NpmErrors.BAD_PUBLISH('attachment "data" is not valid base64');
            await feed('/');
            i++;
            continue;
          }
          let end = chunk.indexOf(QUOTE, i);
          const slash = chunk.indexOf(BACKSLASH, i);
          if (slash !== -1 && (end === -1 || slash < end)) end = slash;
          const stop = end === -1 ? chunk.length : end;
          await feed(chunk.toString('latin1', i, stop));
          i = stop;
          if (end === -1) break;
          if (chunk[end] === BACKSLASH) { escaped = true; i++; continue; }
          upload!.decoder.end();
          upload!.sink.end();
          written = await upload!.done;
          streaming = false;
          inString = false;
          keptFrom = i; // the closing quote is kept: the string reads as ""
          i++;
          continue;
        }
        const byte = chunk[i]!;
        if (inString) {
          if (escaped) escaped = false;
          else if (byte === BACKSLASH) escaped = true;
          else if (byte === QUOTE) {
            inString = false;
            if (capture) {
              const text = JSON.parse(`"${Buffer.from(capture).toString('utf8')}"`) as string;
              if (captureIsKey) stack.at(-1)!.key = text; else integrity = text;
              capture = undefined;
            }
          }
          if (inString && capture) capture.push(byte);
          i++;
          continue;
        }
        const top = stack.at(-1);
        if (byte === QUOTE) {
          inString = true;
          captureIsKey = !!top && !top.array && top.expectKey;
          const where = path();
          if (captureIsKey) { capture = []; top!.expectKey = false; }
          else if (where.length === 3 && where[0] === '_attachments' && where[2] === 'data') {
            kept.push(chunk.subarray(keptFrom, i + 1));
            startUpload();
            streaming = true;
            i++;
            continue;
          } else if (where.length === 4 && where[0] === 'versions' && where[2] === 'dist' && where[3] === 'integrity') capture = [];
        } else if (byte === 0x7b || byte === 0x5b) stack.push({ array: byte === 0x5b, expectKey: byte === 0x7b });
        else if (byte === 0x7d || byte === 0x5d) stack.pop();
        else if (byte === 0x2c && top && !top.array) top.expectKey = true;
        i++;
      }
      if (!streaming) kept.push(chunk.subarray(keptFrom));
    }
    if (streaming) throw NpmErrors.BAD_PUBLISH('the body ended inside the attachment');
    let json: unknown;
    try {
      json = JSON.parse(Buffer.concat(kept).toString('utf8'));
    } catch (error) {
      throw NpmErrors.BAD_PUBLISH(`invalid JSON: ${(error as Error).message}`);
    }
    return { json, ...(written ? { blob: written } : {}) };
  } catch (error) {
    upload?.sink.destroy(error as Error);
    await written?.discard().catch(() => undefined);
    if (isNoraError(error) && error.code === 'DIGEST_MISMATCH') {
      throw NpmErrors.INTEGRITY_MISMATCH('integrity', String(integrity), formatIntegrity((typeof error.detail?.actual === 'string' ? error.detail.actual : '').replace(/^sha512:/, '')));
    }
    throw error;
  }
}
