// Creates a directory and its missing parents one level at a time. Node's recursive mkdir loops
// forever where a filesystem answers ENOENT for a parent that exists (under /proc it does:
// `--data-dir /proc/nora` hung the start); one mkdir(2) per missing level fails at once instead.
import { promises as fs } from 'node:fs';
import path from 'node:path';

const isCode = (error: unknown, code: string) => (error as NodeJS.ErrnoException)?.code === code;

/** Makes `dir` (absolute) and its missing parents; resolves when it exists as a directory. */
export async function makeDirectory(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let current = dir; ; current = path.dirname(current)) {
    const stat = await fs.stat(current).catch((error: unknown) => {
      if (isCode(error, 'ENOENT')) return undefined;
      throw error;
    });
    if (stat) {
      if (!stat.isDirectory()) throw Object.assign(new Error(`${current} is not a directory`), { code: 'ENOTDIR' });
      break;
    }
    missing.unshift(current);
    if (path.dirname(current) === current) break;
  }
  for (const level of missing) {
    try {
      await fs.mkdir(level);
    } catch (error) {
      if (isCode(error, 'EEXIST') && (await fs.stat(level)).isDirectory()) continue;
      throw error;
    }
  }
}
