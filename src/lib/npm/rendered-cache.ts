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

  constructor(private readonly capacity = 1000) {}

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
    this.entries.set(key, rendered);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return rendered;
  }
}
