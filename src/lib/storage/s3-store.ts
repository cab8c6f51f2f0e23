// S3 adapter: one object per key, under an optional key prefix, in one bucket of AWS S3 or an
// S3-compatible server. Atomic visibility comes from S3 itself (a PutObject or a completed
// multipart upload appears whole or not at all); compare-and-swap uses S3 conditional writes
// (If-None-Match / If-Match), and so does a no-replace move. Several NORA processes may share one bucket.
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CopyObjectCommand, CreateMultipartUploadCommand,
  DeleteObjectCommand, GetObjectCommand, HeadBucketCommand, HeadObjectCommand, ListObjectsV2Command,
  PutObjectCommand, S3Client, UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { ByteRange, ListOptions, ListPage, MoveOptions, ObjectInfo, ObjectStore, PutOptions } from './object-store.js';
import { isStorageError, NotFound, PreconditionFailed, StorageError, StorageUnavailable } from './errors.js';
import { translateS3Error } from './s3-errors.js';
import { assertValidKey, assertValidPrefix } from './keys.js';
import { resolveRange } from './body.js';
import { MAX_PAGE } from './paginate.js';
import { Counter, Slice } from './s3-streams.js';

export interface S3StoreOptions {
  bucket: string;
  region: string;
  /** For S3-compatible servers, e.g. http://127.0.0.1:9000; omitted means AWS. */
  endpoint?: string;
  /** Key prefix inside the bucket; a missing trailing '/' is added. */
  prefix?: string;
  /** Path-style URLs (http://host/bucket/key), which most S3-compatible servers need. */
  pathStyle?: boolean;
  /** Omitted: the SDK's default chain (environment, profile, instance role...). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Multipart part size for bodies of unknown length (min 5 MiB; 10,000 parts cap the size). */
  partSize?: number;
}

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
/** Largest single PutObject / CopyObject S3 accepts. */
const MAX_SINGLE = 5 * GiB;
const DEFAULT_PART = 8 * MiB;

export class S3Store implements ObjectStore {
  readonly kind = 's3';
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly partSize: number;

  constructor(options: S3StoreOptions) {
    this.bucket = options.bucket;
    this.prefix = !options.prefix || options.prefix.endsWith('/') ? options.prefix ?? '' : options.prefix + '/';
    if (this.prefix !== '') assertValidPrefix(this.prefix);
    this.partSize = options.partSize ?? DEFAULT_PART;
    if (this.partSize < 5 * MiB) throw new Error(`S3 partSize must be at least 5 MiB (got ${this.partSize})`);
    this.client = new S3Client({
      region: options.region,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      forcePathStyle: options.pathStyle ?? false,
      ...(options.credentials ? { credentials: options.credentials } : {}),
      // Checksums only where S3 requires them: the default streams bodies as aws-chunked with
      // trailing checksums, which several S3-compatible servers store verbatim.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  private full(key: string): string {
    assertValidKey(key);
    return this.prefix + key;
  }

  async stat(key: string): Promise<ObjectInfo | undefined> {
    const Key = this.full(key);
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key }));
      return { key, size: head.ContentLength ?? 0, etag: head.ETag ?? '', modified: head.LastModified ?? new Date(0) };
    } catch (error) {
      const translated = await this.translate(error, key);
      if (translated instanceof StorageError && translated.code === 'NOT_FOUND') return undefined;
      throw translated;
    }
  }

  async get(key: string, range?: ByteRange): Promise<{ info: ObjectInfo; body: Readable }> {
    const Key = this.full(key);
    let response;
    try {
      const Range = range ? `bytes=${range.start}-${range.end ?? ''}` : undefined;
      response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key, Range }));
    } catch (error) {
      throw await this.translate(error, key);
    }
    const body = response.Body as Readable;
    // What the server sent: "bytes first-last/total", or the whole object when it ignored Range.
    const sent = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(response.ContentRange ?? '');
    const size = sent ? Number(sent[3]) : response.ContentLength ?? 0;
    const info = { key, size, etag: response.ETag ?? '', modified: response.LastModified ?? new Date(0) };
    if (!range) return { info, body };
    try {
      // Checked here too: some servers answer a range on an empty object, or a malformed one, with 200.
      const { start, end } = resolveRange(key, size, range);
      const first = sent ? Number(sent[1]) : 0;
      const last = sent ? Number(sent[2]) : size - 1;
      if (first === start && last === end) return { info, body };
      if (first > start || last < end) throw new Error(`server sent bytes ${first}-${last} for ${start}-${end}`);
      const slice = new Slice(start - first, end - start + 1);
      pipeline(body, slice).catch(() => undefined); // a failing or abandoned response fails the slice too
      return { info, body: slice };
    } catch (error) {
      body.destroy();
      throw error;
    }
  }

  async put(key: string, body: Readable | Buffer, options: PutOptions = {}): Promise<ObjectInfo> {
    const Key = this.full(key);
    const params = {
      Bucket: this.bucket, Key,
      // Unquoted: Ceph RGW 16 compares a PUT's If-Match byte for byte with its unquoted ETag, so
      // the quoted form never matches there; AWS S3 accepts either form.
      ...(options.ifMatch !== undefined ? { IfMatch: options.ifMatch.replace(/"/g, '') } : {}),
      ...(options.ifNoneMatch === '*' ? { IfNoneMatch: '*' } : {}),
    };
    try {
      if (Buffer.isBuffer(body)) {
        const out = await this.client.send(new PutObjectCommand({ ...params, Body: body, ContentLength: body.length }));
        return { key, size: body.length, etag: out.ETag ?? '', modified: new Date() };
      }
      // A failing source destroys `counted`, which fails whichever request is reading it; a
      // failed request destroys `counted` (below), which releases the source.
      const counted = new Counter(options.size);
      pipeline(body, counted).catch(() => undefined);
      // Unknown length (or past 5 GiB): multipart, holding at most queueSize + 1 parts in memory;
      // S3 checks the condition when the upload completes, and a failed upload is aborted.
      try {
        const out = options.size !== undefined && options.size <= MAX_SINGLE
          ? await this.putStream(params, counted, options.size)
          : await new Upload({ client: this.client, params: { ...params, Body: counted }, partSize: this.partSize, queueSize: 2 }).done();
        return { key, size: counted.bytes, etag: out.ETag ?? '', modified: new Date() };
      } finally {
        counted.destroy();
      }
    } catch (error) {
      const translated = await this.translate(error, key, 'IfMatch' in params || 'IfNoneMatch' in params);
      // AWS answers If-Match on an absent key with 404 NoSuchKey: the expected version is not there.
      throw 'IfMatch' in params && isStorageError(translated, 'NOT_FOUND') ? PreconditionFailed(key) : translated;
    }
  }

  /** One PutObject of a stream of known length; pipe() into the request does not forward a
   *  source error, so the request is aborted and the source's error thrown instead. */
  private async putStream(params: { Bucket: string; Key: string }, body: Readable, size: number): Promise<{ ETag?: string }> {
    const abort = new AbortController();
    const onError = (error: Error) => abort.abort(error);
    body.once('error', onError);
    try {
      return await this.client.send(new PutObjectCommand({ ...params, Body: body, ContentLength: size }), { abortSignal: abort.signal });
    } catch (error) {
      throw abort.signal.aborted ? abort.signal.reason : error;
    } finally {
      body.off('error', onError);
    }
  }

  /**
   * CopyObject then DeleteObject (multipart copy past 5 GiB): not atomic, `to` is replaced. With
   * `ifNoneMatch: '*'` the copy (or the multipart completion) carries If-None-Match: *, which AWS
   * S3 decides atomically (412, or 409 for a concurrent create: PRECONDITION_FAILED either way).
   * Servers that ignore the header on copies (Ceph RGW 16, s3rver) replace `to` instead, so there
   * two racing creators may both succeed; callers must not rely on being the only one there.
   */
  async move(from: string, to: string, options: MoveOptions = {}): Promise<void> {
    const source = this.full(from);
    const target = this.full(to);
    const info = await this.stat(from);
    if (!info) throw NotFound(from);
    const condition = options.ifNoneMatch === '*' ? { IfNoneMatch: '*' } : {};
    if (from === to) {
      if (options.ifNoneMatch === '*') throw PreconditionFailed(to);
      return;
    }
    const CopySource = encodeURIComponent(this.bucket) + '/' + source.split('/').map(encodeURIComponent).join('/');
    try {
      if (info.size > MAX_SINGLE) await this.copyLarge(CopySource, target, info, condition);
      else await this.client.send(new CopyObjectCommand({ Bucket: this.bucket, Key: target, CopySource, ...condition }));
    } catch (error) {
      const translated = await this.translate(error, from, options.ifNoneMatch === '*');
      throw isStorageError(translated, 'PRECONDITION_FAILED') ? PreconditionFailed(to) : translated;
    }
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: source }));
    } catch (error) {
      throw await this.translate(error, from);
    }
  }

  /** UploadPartCopy in parts pinned to the source's etag, so every part comes from one version. */
  private async copyLarge(CopySource: string, Key: string, info: ObjectInfo, condition: { IfNoneMatch?: string }): Promise<void> {
    const partSize = Math.max(512 * MiB, Math.ceil(info.size / 10_000));
    const { UploadId } = await this.client.send(new CreateMultipartUploadCommand({ Bucket: this.bucket, Key }));
    try {
      const Parts = [];
      for (let offset = 0, PartNumber = 1; offset < info.size; offset += partSize, PartNumber++) {
        const CopySourceRange = `bytes=${offset}-${Math.min(offset + partSize, info.size) - 1}`;
        const part = await this.client.send(new UploadPartCopyCommand({
          Bucket: this.bucket, Key, UploadId, PartNumber, CopySource, CopySourceRange, CopySourceIfMatch: info.etag,
        }));
        Parts.push({ PartNumber, ETag: part.CopyPartResult?.ETag });
      }
      await this.client.send(new CompleteMultipartUploadCommand({ Bucket: this.bucket, Key, UploadId, MultipartUpload: { Parts }, ...condition }));
    } catch (error) {
      await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key, UploadId })).catch(() => undefined);
      throw error;
    }
  }

  /** HeadObject then DeleteObject: S3's delete does not say whether the key existed. */
  async delete(key: string): Promise<boolean> {
    const Key = this.full(key);
    if (!(await this.stat(key))) return false;
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key }));
      return true;
    } catch (error) {
      throw await this.translate(error, key);
    }
  }

  /**
   * ListObjectsV2. The cursor is a StartAfter key, as in the other adapters: the last key of the
   * page, or the last common prefix followed by U+FFFF, which sorts after every (ASCII) key
   * below it. So a cursor means the same in every adapter ("keys strictly after this one").
   */
  async list(prefix: string, options: ListOptions = {}): Promise<ListPage> {
    assertValidPrefix(prefix);
    const full = this.prefix + prefix;
    let response;
    try {
      response = await this.client.send(new ListObjectsV2Command({
        Bucket: this.bucket,
        ...(full === '' ? {} : { Prefix: full }),
        ...(options.delimiter ? { Delimiter: options.delimiter } : {}),
        ...(options.cursor === undefined ? {} : { StartAfter: this.prefix + options.cursor }),
        MaxKeys: Math.min(Math.max(options.limit ?? MAX_PAGE, 1), MAX_PAGE),
      }));
    } catch (error) {
      throw await this.translate(error, prefix);
    }
    const strip = (key: string) => key.slice(this.prefix.length);
    // HEAD and GET give Last-Modified as an HTTP date (whole seconds); some stores (Ceph RGW) list
    // it with milliseconds: cut to the second so stat, get and list agree on one object.
    const items = (response.Contents ?? []).map((object) => ({
      key: strip(object.Key ?? ''), size: object.Size ?? 0, etag: object.ETag ?? '', modified: wholeSeconds(object.LastModified),
    }));
    const prefixes = (response.CommonPrefixes ?? []).map((p) => strip(p.Prefix ?? ''));
    if (!response.IsTruncated) return { items, prefixes };
    const lastKey = items.at(-1)?.key ?? '';
    const lastGroup = prefixes.length > 0 ? prefixes.at(-1) + '\uffff' : '';
    return { items, prefixes, cursor: lastKey > lastGroup ? lastKey : lastGroup };
  }

  async presignGet(key: string, expiresInSeconds: number): Promise<string> {
    // Loaded on first use: only registries that redirect blob downloads need the presigner.
    const { getSignedUrl } = await import('@aws-sdk/s3-request-presigner');
    return getSignedUrl(this.client, new GetObjectCommand({ Bucket: this.bucket, Key: this.full(key) }), { expiresIn: Math.max(1, Math.round(expiresInSeconds)) });
  }

  async check(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (error) {
      const e = error as { name?: string; message?: string };
      throw StorageUnavailable(`bucket ${this.bucket}: ${e.name ?? 'Error'} ${e.message ?? ''}`.trim(), error);
    }
  }

  async close(): Promise<void> {
    this.client.destroy();
  }

  /** translateS3Error, with this store's stat for the size a 416 may not carry. */
  private translate(error: unknown, key: string, conditional = false): Promise<unknown> {
    return translateS3Error(error, key, conditional, async () => (await this.stat(key).catch(() => undefined))?.size);
  }
}

/** A listed LastModified cut to the second, as HEAD and GET report it. */
function wholeSeconds(date: Date | undefined): Date {
  return date ? new Date(Math.floor(date.getTime() / 1000) * 1000) : new Date(0);
}
