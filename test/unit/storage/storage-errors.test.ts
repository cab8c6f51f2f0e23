// Backend failures that mean "the store is full" or "the store is gone" become the port's typed
// errors (STORAGE_FULL 507, STORAGE_UNAVAILABLE 503), for the filesystem and for S3.
import { describe, expect, it } from 'vitest';
import { StorageError, translateFsError } from '../../../src/lib/storage/errors.js';
import { translateS3Error } from '../../../src/lib/storage/s3-errors.js';
import { translatedStore } from '../../../src/lib/storage/translated-store.js';
import { MemoryStore } from '../../../src/lib/storage/memory-store.js';

const errno = (code: string) => Object.assign(new Error(`${code}: failed`), { code });
const sdk = (name: string, status: number) => Object.assign(new Error(`${name} answer`), { name, $metadata: { httpStatusCode: status } });
const noSize = async () => undefined;

describe('filesystem errors', () => {
  it.each(['ENOSPC', 'EDQUOT', 'EFBIG'])('%s is STORAGE_FULL (507)', (code) => {
    expect(translateFsError(errno(code), 'put', 'blobs/x')).toMatchObject({ code: 'STORAGE_FULL', status: 507 });
  });
  it.each(['EROFS', 'EIO', 'EACCES'])('%s is STORAGE_UNAVAILABLE (503)', (code) => {
    expect(translateFsError(errno(code), 'put', 'blobs/x')).toMatchObject({ code: 'STORAGE_UNAVAILABLE', status: 503 });
  });
  it('leaves other errors to the adapter', () => {
    const enoent = errno('ENOENT');
    expect(translateFsError(enoent, 'get', 'k')).toBe(enoent);
  });

  it('applies to every operation of a wrapped store, synchronous throws too', async () => {
    const inner = new MemoryStore();
    inner.put = async () => { throw errno('ENOSPC'); };
    inner.stat = () => { throw errno('EIO'); };
    const store = translatedStore(inner, translateFsError);
    await expect(store.put('repos/x', Buffer.from('x'))).rejects.toBeInstanceOf(StorageError);
    await expect(store.put('repos/x', Buffer.from('x'))).rejects.toMatchObject({ code: 'STORAGE_FULL' });
    expect(() => store.stat('repos/x')).toThrow(expect.objectContaining({ code: 'STORAGE_UNAVAILABLE' }));
    expect(store.kind).toBe('memory');
  });
});

describe('S3 errors', () => {
  it.each([['QuotaExceeded', 403], ['XMinioStorageFull', 507], ['EntityTooLarge', 400], ['SomethingNew', 507]])('%s (HTTP %i) is STORAGE_FULL', async (name, status) => {
    expect(await translateS3Error(sdk(name, status), 'blobs/x', false, noSize)).toMatchObject({ code: 'STORAGE_FULL', status: 507 });
  });
  it('a checksum mismatch is not a full store', async () => {
    const error = await translateS3Error(sdk('XAmzContentSHA256Mismatch', 400), 'blobs/x', false, noSize);
    expect(error).not.toMatchObject({ code: 'STORAGE_FULL' });
  });
  it.each([['ConditionalRequestConflict', 409], ['UnknownError', 500], ['PreconditionFailed', 412]] as const)(
    'on a conditional write, %s (%i) is PRECONDITION_FAILED: lost or unknown, re-read and retry', async (name, status) => {
      expect(await translateS3Error(sdk(name, status), 'npm/x', true, noSize)).toMatchObject({ code: 'PRECONDITION_FAILED' });
    });
  it('a 500 on a plain write is STORAGE_UNAVAILABLE, a 409 is left to the adapter', async () => {
    expect(await translateS3Error(sdk('UnknownError', 500), 'npm/x', false, noSize)).toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
    expect(await translateS3Error(sdk('OperationAborted', 409), 'npm/x', false, noSize)).not.toMatchObject({ code: 'PRECONDITION_FAILED' });
  });
  it.each(['ECONNREFUSED', 'ETIMEDOUT'])('a lost backend (%s) is STORAGE_UNAVAILABLE', async (code) => {
    expect(await translateS3Error(errno(code), 'blobs/x', false, noSize)).toMatchObject({ code: 'STORAGE_UNAVAILABLE', status: 503 });
  });
});
