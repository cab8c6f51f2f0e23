// Key paths of the filesystem adapter come and go with their objects: a file is put into place
// creating its parent directories, and a removal prunes the directories it left empty. The two
// race (a prune can remove a parent a writer just created), so placing retries.
import { promises as fs } from 'node:fs';
import path from 'node:path';

const isCode = (error: unknown, code: string) => (error as NodeJS.ErrnoException)?.code === code;

/**
 * rename(2) or link(2) `source` to `target`, creating parents only when the first try says they
 * are missing (most targets' directories exist: a mkdir before every place cost two syscalls per
 * put); retried when a concurrent prune removed a parent. `ownSource`: the source is this
 * writer's own fresh temp file, so a missing directory is the target's (no access(2) to ask).
 */
export async function placeFile(source: string, target: string, place: (from: string, to: string) => Promise<void>, ownSource = false): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await place(source, target);
      return;
    } catch (error) {
      if (!(isCode(error, 'ENOENT') || isCode(error, 'ENOTDIR')) || attempt >= 20) throw error;
      if (!ownSource) await fs.access(source).catch(() => { throw error; });
    }
    try {
      await fs.mkdir(path.dirname(target), { recursive: true });
    } catch (error) {
      // mkdir itself fails with ENOENT when a concurrent prune removes the parent mid-way.
      if (!(isCode(error, 'ENOENT') || isCode(error, 'ENOTDIR')) || attempt >= 20) throw error;
    }
  }
}

/**
 * Removes empty directories from `dir` up to (not including) the root's own children: those
 * (blobs/, tmp/, repos/, ...) hold every key of their kind, and tmp/ empties after each staged
 * blob is placed, so pruning it cost an rmdir, then a failed rename, an access and a mkdir on the
 * next write (a small image push placed three blobs through it). `keep` is asked with the
 * folder's key ("a/b/") and stops the prune there.
 */
export async function pruneEmptyDirs(root: string, dir: string, keep?: (folder: string) => boolean): Promise<void> {
  while (dir.startsWith(root + path.sep) && path.dirname(dir) !== root) {
    if (keep?.(`${path.relative(root, dir).split(path.sep).join('/')}/`)) return;
    try {
      await fs.rmdir(dir);
    } catch {
      return; // not empty (or already gone, or recreated by a writer): stop here
    }
    dir = path.dirname(dir);
  }
}
