// Where a chunked upload's bytes go on stores that write in place (fs): one data file per upload
// and per server process, each PATCH written at the upload's recorded offset, so closing it is a
// truncate, one fsync and a move (distribution appends to one file the same way) instead of a
// copy of every chunk. Only this process writes its data file, and only one request of this
// process at a time (`exclusive`): a second PATCH racing the first can then not overwrite bytes
// the first has recorded, and a close cannot move the file while a PATCH still writes into it.
// An upload that reaches another server (or a restarted one) goes on in chunk objects there.
import { randomUUID } from 'node:crypto';

/** Names this process's data files; a restart gets a new one, so old files are never reopened. */
const WRITER = randomUUID().slice(0, 8);

export const dataFileName = `data-${WRITER}`;

const running = new Map<string, Promise<unknown>>();

/** Runs `work` after every earlier `exclusive` call for the same upload id has ended. */
export async function exclusive<T>(id: string, work: () => Promise<T>): Promise<T> {
  const before = running.get(id) ?? Promise.resolve();
  const mine = before.then(work, work);
  const settled = mine.then(() => undefined, () => undefined);
  running.set(id, settled);
  try {
    return await mine;
  } finally {
    if (running.get(id) === settled) running.delete(id);
  }
}
