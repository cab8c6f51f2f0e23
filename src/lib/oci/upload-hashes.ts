// The sha256 state of this server's open upload sessions, advanced as each PATCH arrives, so
// closing a chunked or streamed upload needs no second pass over its bytes (distribution keeps
// its hash state the same way). Kept in memory only: a session whose chunks did not all pass
// through this server (it moved between servers on one bucket, or this one restarted) has no
// state here, or one whose size no longer matches the session's, and is re-read and hashed at
// the end as before. Bounded: past MAX_SESSIONS the oldest state is dropped (re-read later).
import { createHash, type Hash } from 'node:crypto';

const MAX_SESSIONS = 1024;

interface Progress { hash: Hash; size: number }

export class UploadHashes {
  private readonly sessions = new Map<string, Progress>();

  /**
   * A hash to feed the bytes of a chunk starting at `start`: the session's state continued when
   * it has hashed exactly the bytes before `start`, a fresh one for the first chunk, else undefined.
   */
  continueAt(id: string, start: number): Hash | undefined {
    if (start === 0) return createHash('sha256');
    const progress = this.sessions.get(id);
    return progress?.size === start ? progress.hash.copy() : undefined;
  }

  /** Records that the session's first `size` bytes hashed to `hash` (after its chunk was accepted). */
  private advance(id: string, hash: Hash, size: number): void {
    this.sessions.delete(id);
    if (this.sessions.size >= MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value!);
    this.sessions.set(id, { hash, size });
  }

  /**
   * After a chunk was recorded at `size`: the hash that fed it moves the session on, and without
   * one (the chunk did not continue this server's hash) the session's hash is dropped.
   */
  settle(id: string, hash: Hash | undefined, size: number): void {
    if (hash) this.advance(id, hash, size);
    else this.forget(id);
  }

  /** The sha256 hex of the session's first `size` bytes when this server hashed all of them. */
  digest(id: string, size: number): string | undefined {
    const progress = this.sessions.get(id);
    return progress?.size === size ? progress.hash.copy().digest('hex') : undefined;
  }

  forget(id: string): void {
    this.sessions.delete(id);
  }
}
