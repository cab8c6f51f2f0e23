// Packuments as served (JSON text plus its ETag), kept in memory by what they were rendered from:
// the stored document's etag, the base URL and the form. Derived data only: any change to the
// document changes its etag, so a stale entry is never served, and several processes stay correct.
import { createHash } from 'node:crypto';

export interface Rendered {
  body: string;
  etag: string;
}

export class RenderedCache {
  private readonly entries = new Map<string, Rendered>();
  private bytes = 0;

  /** Bounded by total characters held (default 32 Mi), least recently used out first. */
  constructor(private readonly capacity = 32 * 1024 * 1024) {}

  peek(key: string): Rendered | undefined {
    return this.entries.get(key);
  }

  /** The cached rendering for `key`, else renders, remembers and returns it. */
  get(key: string, render: () => unknown): Rendered {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const body = JSON.stringify(render());
    const rendered = { body, etag: `"${createHash('sha1').update(body).digest('base64url')}"` };
    if (body.length > this.capacity / 4) return rendered; // huge packuments are rendered per request
    this.entries.set(key, rendered);
    this.bytes += body.length;
    for (const [oldest, entry] of this.entries) {
      if (this.bytes <= this.capacity) break;
      this.entries.delete(oldest);
      this.bytes -= entry.body.length;
    }
    return rendered;
  }
}
