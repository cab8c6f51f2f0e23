// Every key in a store (with its etag, so a rewritten document counts as a change): tests compare
// it before and after a refused request to show the store was left exactly as it was.
import { listAll, type ObjectStore } from '../../src/lib/storage/object-store.js';

export async function storeKeys(store: ObjectStore): Promise<string[]> {
  const keys: string[] = [];
  for await (const info of listAll(store, '')) keys.push(`${info.key}@${info.etag}`);
  return keys.sort();
}
