// An object already read whole into memory (a small file, a memory-store entry), as the Readable
// the storage port returns. It streams like any body, and keeps its bytes at hand so `collect`
// (documents) and callers that send a buffer (manifests) skip the stream machinery: for a tag or
// manifest document, the stream's reads, events and ticks cost more than the bytes themselves.
import { Readable } from 'node:stream';

export class BytesBody extends Readable {
  private pushed = false;

  constructor(readonly bytes: Buffer) {
    super();
  }

  override _read(): void {
    if (!this.pushed && this.bytes.length > 0) this.push(this.bytes);
    this.pushed = true;
    this.push(null);
  }
}
