// undici, loaded on the first upstream request or webhook delivery: a server without upstreams
// or webhooks never evaluates it, which keeps it out of start-up time and idle memory (esbuild
// turns the import() into a lazy init inside the one bundled file).
type Undici = typeof import('undici');

let undici: Promise<Undici> | undefined;

export function loadUndici(): Promise<Undici> {
  return (undici ??= import('undici'));
}
