// Reads a PUT /<name> body as it streams in: the tarball inside `_attachments.<file>.data` is
// base64-decoded chunk by chunk straight into the blob store (verified against the sha512
// integrity declared earlier in the body, as npm orders it), and everything else is collected and
// parsed as JSON with that string left empty. Memory stays at the size of the metadata, not of
// the tarball. The tarball is only staged (blob-store.ts): the publish commits it once the body
// is validated. On any failure here nothing the read created stays in the store.
// Hostile bodies cost linear time: every byte is looked at a constant number of times, nesting
// is capped at MAX_DEPTH, and only short keys near the top are decoded (see json-position.ts).
import { PassThrough } from 'node:stream';
import type { BlobStore, StagedBlob } from '../blobs/blob-store.js';
import { CommonErrors } from '../errors/catalog.js';
import { isNoraError } from '../errors/nora-error.js';
import { Base64Decoder } from './base64-decoder.js';
import { NpmErrors } from './errors.js';
import { formatIntegrity, parseIntegrity } from './integrity.js';
import { JsonPosition } from './json-position.js';

export interface StreamedBody {
  /** The JSON body, with the attachment's `data` as "". */
  json: unknown;
  /**
   * The attachment, staged as a blob addressed by its sha512 (none for metadata-only bodies): the
   * caller commits it, or discards it when the request is refused.
   */
  blob?: StagedBlob;
}

export interface StreamedBodyLimits {
  blobs: BlobStore;
  /** Bytes of the whole body, tarball text included. */
  maxSize: number;
  /** Bytes of everything but the tarball text: what is held in memory and parsed. */
  maxMetadata: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const SLASH = 0x2f;

/**
 * The base64 text in `chunk` from `from` up to the data string's closing quote (`end`, -1 when
 * the string goes on in the next chunk). npm never escapes inside base64, but JSON may write "/"
 * as "\/": such text is unescaped in one pass; any other escape is not base64.
 */
function dataText(chunk: Buffer, from: number, state: { escaped: boolean }): { text: string; end: number } {
  const end = chunk.indexOf(QUOTE, from);
  const stop = end === -1 ? chunk.length : end;
  if (!state.escaped && chunk.subarray(from, stop).indexOf(BACKSLASH) === -1) return { text: chunk.toString('latin1', from, stop), end };
  const out = Buffer.allocUnsafe(stop - from);
  let length = 0;
  let at = from;
  for (; at < chunk.length; at++) {
    const byte = chunk[at]!;
    if (state.escaped) {
      if (byte !== SLASH) throw NpmErrors.BAD_PUBLISH('attachment "data" is not valid base64');
      state.escaped = false;
      out[length++] = byte;
    } else if (byte === BACKSLASH) state.escaped = true;
    else if (byte === QUOTE) break;
    else out[length++] = byte;
  }
  return { text: out.toString('latin1', 0, length), end: at === chunk.length ? -1 : at };
}

interface Upload { sink: PassThrough; decoder: Base64Decoder; done: Promise<StagedBlob> }

export async function readStreamedBody(body: AsyncIterable<Buffer | Uint8Array | string>, options: StreamedBodyLimits): Promise<StreamedBody> {
  const position = new JsonPosition();
  const kept: Buffer[] = [];
  let keptBytes = 0;
  let total = 0;
  let streaming = false; // inside the attachment's data string
  const text = { escaped: false }; // the data string's last byte was a backslash
  let upload: Upload | undefined;
  let written: StagedBlob | undefined;

  const keep = (part: Buffer) => {
    keptBytes += part.length;
    if (keptBytes > options.maxMetadata) throw CommonErrors.TOO_LARGE('npm publish metadata (the body without its tarball)', options.maxMetadata);
    kept.push(part);
  };
  const startUpload = (): Upload => {
    if (upload) throw NpmErrors.BAD_PUBLISH('exactly one attachment per publish, got more');
    const declared = parseIntegrity(position.integrity);
    const sink = new PassThrough();
    const done = options.blobs.stage(sink, {
      ...(declared ? { expected: { algorithm: 'sha512' as const, hex: declared.hex } } : { algorithm: 'sha512' as const }),
      extraHashes: ['sha1'], maxSize: options.maxSize, label: 'npm tarball',
    });
    done.catch(() => undefined);
    return { sink, decoder: new Base64Decoder(), done };
  };
  const feed = async (text: string) => {
    const bytes = upload!.decoder.push(text);
    if (bytes.length > 0 && !upload!.sink.write(bytes)) await new Promise<void>((resolve) => upload!.sink.once('drain', resolve));
  };

  try {
    for await (const raw of body) {
      const chunk = typeof raw === 'string' ? Buffer.from(raw) : Buffer.isBuffer(raw) ? raw : Buffer.from(raw);
      total += chunk.length;
      if (total > options.maxSize) throw CommonErrors.TOO_LARGE('npm publish body', options.maxSize);
      let i = 0;
      let keptFrom = 0;
      // The next quote and backslash at or after i (-1: none left in this chunk), each searched
      // again only once i has passed it, so skipping through strings stays linear.
      let quoteAt = -2;
      let slashAt = -2;
      while (i < chunk.length) {
        if (streaming) {
          const data = dataText(chunk, i, text);
          await feed(data.text);
          if (data.end === -1) break;
          upload!.decoder.end();
          upload!.sink.end();
          written = await upload!.done;
          streaming = false;
          position.closeString();
          keptFrom = data.end; // the closing quote is kept: the string reads as ""
          i = data.end + 1;
          continue;
        }
        if (position.inPlainString) {
          if (quoteAt !== -1 && quoteAt < i) quoteAt = chunk.indexOf(QUOTE, i);
          if (slashAt !== -1 && slashAt < i) slashAt = chunk.indexOf(BACKSLASH, i);
          const next = quoteAt === -1 ? slashAt : slashAt === -1 ? quoteAt : Math.min(quoteAt, slashAt);
          if (next === -1) break;
          i = next;
        }
        const event = position.step(chunk[i]!);
        i++;
        if (event === 'attachment') {
          keep(chunk.subarray(keptFrom, i));
          upload = startUpload();
          streaming = true;
          text.escaped = false;
        }
      }
      if (!streaming) keep(chunk.subarray(keptFrom));
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
      throw NpmErrors.INTEGRITY_MISMATCH('integrity', String(position.integrity), formatIntegrity((typeof error.detail?.actual === 'string' ? error.detail.actual : '').replace(/^sha512:/, '')));
    }
    throw error;
  }
}
