// Old keys that now live inside a list ("npm.upstream" -> "npm.upstreams[].url"), applied once
// every source (file, NORA_* environment, flags) has been read: the old key naming the list's
// identity ("url") rebuilds the list from its first default table, one table per value (an empty
// value empties the list); any other old key sets its new key on every table of the list. An old
// key together with the list set in the file is refused, naming the new key.
import type { ConfigProblem } from './config-error.js';
import type { Schema, TableList } from './field.js';
import { isMoved, nodeAt, resolveTable, type MovedValue, type ResolveContext } from './resolve.js';

interface Pending extends MovedValue {
  old: string;
  itemKey: string;
}

export function applyMoved(schema: Schema, config: Record<string, unknown>, moved: Map<string, MovedValue>, givenLists: Set<string>, ctx: ResolveContext): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const byList = new Map<string, Pending[]>();
  for (const [old, entry] of moved) {
    const path = old.split('.');
    const node = nodeAt(schema, path);
    if (!node || !isMoved(node)) continue;
    const [listKey, itemKey] = node.to.split('[].') as [string, string];
    const listPath = [...path.slice(0, -1), listKey].join('.');
    byList.set(listPath, [...(byList.get(listPath) ?? []), { ...entry, old, itemKey }]);
  }
  for (const [listPath, entries] of byList) {
    if (givenLists.has(listPath)) {
      for (const entry of entries) {
        problems.push({ key: entry.old, message: `replaced by [[${listPath}]] ${entry.itemKey}; set only the new key`, ...(entry.origin ? { origin: entry.origin } : {}) });
      }
      continue;
    }
    const keys = listPath.split('.');
    const list = nodeAt(schema, keys) as TableList<Schema>;
    const table = keys.slice(0, -1).reduce((node, key) => node[key] as Record<string, unknown>, config);
    let items = table[keys.at(-1)!] as Array<Record<string, unknown>>;
    const named = entries.find((entry) => entry.itemKey === list.identity);
    if (named) {
      const values = Array.isArray(named.value) ? named.value as unknown[] : named.value === '' ? [] : [named.value];
      items = values.map((value, i) => resolveTable(list.item, { ...list.defaults[0], [named.itemKey]: value }, [...keys, String(i)], ctx));
    }
    for (const entry of entries) {
      if (entry !== named) for (const item of items) item[entry.itemKey] = entry.value;
    }
    table[keys.at(-1)!] = items;
  }
  return problems;
}
