// Whether a real client a test drives is installed (scripts/ci/clients.json says how to tell).
// `npm test` stops before the tests when one is missing (scripts/ci/check-clients.mjs), unless
// NORA_ALLOW_SKIP=1: only then does a suite skip, and its name says why.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

interface Client { tool: string; check: string[]; tests: string }
const { clients } = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'scripts', 'ci', 'clients.json'), 'utf8')) as { clients: Client[] };

function installed(tool: string): boolean {
  if (tool === 'cargo') {
    const candidates = [process.env.CARGO_BIN, path.join(os.homedir(), '.cargo', 'bin', 'cargo'), 'cargo'].filter((c): c is string => !!c && (c === 'cargo' || existsSync(c)));
    return candidates.some((c) => spawnSync(c, ['--version'], { stdio: 'ignore' }).status === 0);
  }
  const client = clients.find((c) => c.tool === tool);
  if (!client) throw new Error(`unknown client ${tool}: add it to scripts/ci/clients.json`);
  const [cmd, ...args] = client.check;
  return spawnSync(cmd!, args, { stdio: 'ignore' }).status === 0;
}

export interface ClientGate {
  /** True only when a tool is missing and NORA_ALLOW_SKIP=1 allows skipping. */
  skip: boolean;
  /** The suite's name, with the reason when it is skipped. */
  title(name: string): string;
}

export function clientGate(...tools: string[]): ClientGate {
  const missing = tools.filter((tool) => !installed(tool));
  const skip = missing.length > 0 && process.env.NORA_ALLOW_SKIP === '1';
  const why = `[skipped: ${missing.join(', ')} not installed; NORA_ALLOW_SKIP=1; scripts/ci/install-deps.sh installs it]`;
  return { skip, title: (name) => (skip ? `${name} ${why}` : name) };
}
