// Images with known digests pushed into a registry with the stock skopeo, and `nora replicate`
// runs whose JSON lines are parsed, for the replication tests.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { OciLayout, type Descriptor } from './oci-layout.js';
import { runNora, type RunResult } from './nora-process.js';
import type { Skopeo } from './skopeo.js';

export interface SeededImages {
  /** repo:tag -> manifest digest at the source. */
  digests: Record<string, string>;
  /** Layer digests by name. */
  layers: Record<'small' | 'big' | 'shared', Descriptor>;
  cleanup(): Promise<void>;
}

// Declared compressed so skopeo pushes the bytes as they are (digests stay known).
const LAYER = 'application/vnd.oci.image.layer.v1.tar+gzip';

/**
 * Pushes team/app:1.0.0 (shared + big layer), team/app:2.0.0 (shared + small), team/app:multi (an
 * index of amd64 1.0.0 and an arm64 image) and other/tool:0.1 (shared + small) to `host`.
 */
export async function seedImages(skopeo: Skopeo, host: string, options: { bigSize?: number; creds?: string } = {}): Promise<SeededImages> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'nora-replicate-layout-'));
  const layout = new OciLayout(dir);
  const shared = await layout.addBlob(randomBytes(4096), LAYER);
  const small = await layout.addBlob(randomBytes(2048), LAYER);
  const big = await layout.addRandomBlob(options.bigSize ?? 3 * 1024 * 1024, LAYER);
  const v1 = await layout.addImage([shared, big]);
  const v2 = await layout.addImage([shared, small]);
  const arm = await layout.addImage([small], { platform: { architecture: 'arm64', os: 'linux' } });
  const index = await layout.addIndex([{ ...v1, platform: { architecture: 'amd64', os: 'linux' } }, { ...arm, platform: { architecture: 'arm64', os: 'linux' } }]);
  const tool = await layout.addImage([shared, small]);
  const refs: Array<[string, Descriptor, string]> = [['v1', v1, 'team/app:1.0.0'], ['v2', v2, 'team/app:2.0.0'], ['multi', index, 'team/app:multi'], ['tool', tool, 'other/tool:0.1']];
  const creds = options.creds ? ['--dest-creds', options.creds] : [];
  for (const [ref, descriptor, target] of refs) {
    await layout.tag(ref, descriptor);
    await skopeo.run('copy', '--all', '--preserve-digests', '--dest-tls-verify=false', ...creds, `oci:${dir}:${ref}`, `docker://${host}/${target}`);
  }
  return {
    digests: Object.fromEntries(refs.map(([, d, target]) => [target, d.digest])),
    layers: { small, big, shared },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

export interface ReplicateRun extends RunResult {
  events: Array<Record<string, unknown> & { type: string }>;
  summary: Record<string, unknown> & { copied: number; skipped: number; failed: number; bytes: number; failures: Array<{ artifact: string; reason: string }> };
}

/** Runs `nora replicate ...args` (stdout is piped, so JSON lines) and parses its lines. */
export async function replicate(args: string[], env: NodeJS.ProcessEnv = {}): Promise<ReplicateRun> {
  const result = await runNora(['replicate', ...args], { env: { HOME: os.tmpdir(), DOCKER_CONFIG: path.join(os.tmpdir(), 'nora-no-docker-config'), ...env } });
  return { ...result, ...parseLines(result.stdout) };
}

export function parseLines(stdout: string): Pick<ReplicateRun, 'events' | 'summary'> {
  const events = stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as ReplicateRun['events'][number]);
  return { events, summary: events.find((e) => e.type === 'summary') as unknown as ReplicateRun['summary'] };
}
