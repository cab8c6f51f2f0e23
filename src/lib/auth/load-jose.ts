// jose, loaded on first use: a server with auth off (or without OIDC) never evaluates it, which
// keeps it out of start-up time and idle memory (esbuild turns the import() into a lazy init).
type Jose = typeof import('jose');

let jose: Promise<Jose> | undefined;

export function loadJose(): Promise<Jose> {
  return (jose ??= import('jose'));
}
