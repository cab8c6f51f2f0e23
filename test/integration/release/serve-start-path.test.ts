// `nora serve` starts without evaluating @oclif/core's index (Config, Plugin, help, the command
// runner) nor the other commands' modules (issue 23: ~35 ms of CPU and ~6 MiB before the first
// answer). What the bundle evaluated is read from V8's own coverage (NODE_V8_COVERAGE): esbuild
// wraps each lazily loaded module in a function keyed by its path, and V8 counts that function's
// calls. `nora config keys` goes through oclif and must show the index evaluated: the check can fail.
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT, runNora, startNora } from '../../helpers/nora-process.js';

const BUNDLE = path.join(ROOT, 'dist', 'nora.cjs');
const OCLIF_INDEX = 'node_modules/@oclif/core/lib/index.js';
const OTHER_COMMANDS = ['src/commands/index.ts', 'src/commands/run-oclif.ts', 'src/commands/serve.ts', 'src/commands/doctor.ts', 'src/commands/config/keys.ts'];
// What serve's flag parsing and a JSON-logging server no longer evaluate (scripts/build.mjs, LAZY_REQUIRES).
const NOT_ON_SERVE = ['node_modules/@oclif/core/lib/help/index.js', 'node_modules/debug/src/index.js', 'node_modules/chalk/source/index.js', 'node_modules/wrap-ansi/index.js', 'src/server/pretty-log.ts'];

let coverageDir: string | undefined;
afterEach(async () => {
  if (coverageDir) await rm(coverageDir, { recursive: true, force: true });
  coverageDir = undefined;
});

/** How often the bundle called each module's wrapper, by module path, from the coverage in `dir`. */
async function moduleCalls(dir: string, modules: string[]): Promise<Record<string, number | undefined>> {
  const url = pathToFileURL(BUNDLE).href;
  let functions: { ranges: { startOffset: number; count: number }[] }[] | undefined;
  for (const file of await readdir(dir)) {
    const { result } = JSON.parse(await readFile(path.join(dir, file), 'utf8')) as { result: { url: string; functions: typeof functions }[] };
    functions ??= result.find((script) => script.url === url)?.functions;
  }
  expect(functions, 'no coverage of dist/nora.cjs').toBeDefined();
  const callsAt = new Map(functions!.map((fn) => [fn.ranges[0]!.startOffset, fn.ranges[0]!.count]));
  // The bundle is ASCII (scripts/build.mjs), so V8's character offsets are string indexes.
  const source = await readFile(BUNDLE, 'latin1');
  return Object.fromEntries(modules.map((module) => {
    const at = source.indexOf(`"${module}"(`);
    expect(at, `${module} is not a lazily evaluated module of the bundle`).toBeGreaterThan(0);
    return [module, callsAt.get(at)];
  }));
}

describe.skipIf(process.env.NORA_BIN)('what `nora serve` evaluates', () => {
  it('serves its first answer without evaluating oclif\'s index or the other commands', async () => {
    coverageDir = await mkdtemp(path.join(os.tmpdir(), 'nora-coverage-'));
    const server = await startNora({ env: { NODE_V8_COVERAGE: coverageDir } });
    try {
      expect((await fetch(`${server.url}/v2/`)).status).toBe(200);
    } finally {
      expect(await server.stop()).toBe(0);
    }
    const calls = await moduleCalls(coverageDir, [OCLIF_INDEX, ...OTHER_COMMANDS, ...NOT_ON_SERVE, 'src/commands/serve-fast.ts']);
    expect(calls).toEqual({ [OCLIF_INDEX]: 0, ...Object.fromEntries([...OTHER_COMMANDS, ...NOT_ON_SERVE].map((module) => [module, 0])), 'src/commands/serve-fast.ts': 1 });
  });

  it('sees oclif\'s index and the commands evaluated when another command runs', async () => {
    coverageDir = await mkdtemp(path.join(os.tmpdir(), 'nora-coverage-'));
    const { code } = await runNora(['config', 'keys'], { env: { NODE_V8_COVERAGE: coverageDir } });
    expect(code).toBe(0);
    const calls = await moduleCalls(coverageDir, [OCLIF_INDEX, ...OTHER_COMMANDS]);
    for (const [module, count] of Object.entries(calls)) expect(count, module).toBeGreaterThan(0);
  });
});
