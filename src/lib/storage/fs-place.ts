// Key paths of the filesystem adapter come and go with their objects: a file is put into place
// creating its parent directories, and a removal prunes the directories it left empty. The two
// race (a prune can remove a parent a writer just created), so placing retries.
import { promises as fs } from 'node:fs';
import path from 'node:path';

const isCode = (error: unknown, code: string) => (error as NodeJS.ErrnoException)?.code === code;

/**
 * rename(2) or link(2) `source` to `target`, creating parents only when the first try says they
 * are missing (most targets' directories exist: a mkdir before every place cost two syscalls per
 * put); retried when a concurrent prune removed a parent.
 */
export async function placeFile(source: string, target: string, place: (from: string, to: string) => Promise<void>): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await place(source, target);
      return;
    } catch (error) {
      if (!(isCode(error, 'ENOENT') || isCode(error, 'ENOTDIR')) || attempt >= 20) throw error;
      await fs.access(source).catch(() => { throw error; });
    }
    try {
      await fs.mkdir(path.dirname(target), { recursive: true });
    } catch (error) {
      // mkdir itself fails with ENOENT when a concurrent prune removes the parent mid-way.
      if (!(isCode(error, 'ENOENT') || isCode(error, 'ENOTDIR')) || attempt >= 20) throw error;
    }
  }
}

/** Removes empty directories from `dir` up to (not including) `root`. */
export async function pruneEmptyDirs(root: string, dir: string): Promise<void> {
  while (dir.startsWith(root + path.sep)) {
    try {
      await fs.rmdir(dir);
    } catch {
      return; // not empty (or already gone, or recreated by a writer): stop here
    }
    dir = path.dirname(dir);
  }
}
