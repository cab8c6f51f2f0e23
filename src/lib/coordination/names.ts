// Names of leases, queues and queue items become store keys: one conservative segment each,
// checked here so a hostile or mistyped name is a precise error, never a key elsewhere.
import { CommonErrors } from '../errors/catalog.js';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Returns `name` when it is a valid coordination name, else throws INVALID_PATH naming `what`. */
export function coordinationName(name: string, what: string): string {
  if (!NAME.test(name)) throw CommonErrors.INVALID_PATH(`${what} ${JSON.stringify(name.slice(0, 140))} must be 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit`);
  return name;
}
