// `nora replicate` from its flags: parses the locations and filters, opens both sides (this
// store through the composition root when one side is local/), runs the copy, closes everything.
import type { NoraConfig } from '../../config/schema.js';
import { parseDuration } from '../../config/units.js';
import { registryAuth } from './credentials.js';
import type { OciEndpoint } from './endpoint.js';
import { ReplicateErrors } from './errors.js';
import type { ReplicateEvent, ReplicateSummary } from './events.js';
import { parseSelection, type SelectionFlags } from './filters.js';
import { LocalEndpoint } from './local-endpoint.js';
import { parseLocation, type Location } from './location.js';
import { RegistryEndpoint } from './registry-endpoint.js';
import { replicate } from './replicate.js';
import { withRetry } from './retry.js';
import { pushFormat, type PackageFormat } from './formats/push-formats.js';
import { RemoteNora } from './formats/remote-nora.js';
import { PULL_FORMATS, pullFormat, type PullFormat } from './formats/pull-formats.js';

export interface RunFlags extends SelectionFlags {
  /** oci (default), or a package format pushed from local/ to a remote NORA or pulled from one into local/. */
  format?: string | undefined;
  from: string;
  to: string;
  referrers: boolean;
  dryRun: boolean;
  concurrency: number;
  retries: number;
  retryTime: string;
  timeout: string;
  srcCreds?: string | undefined;
  dstCreds?: string | undefined;
  srcToken?: string | undefined;
  dstToken?: string | undefined;
  /** The configuration of this store; needed when a side is local/. */
  config?: NoraConfig | undefined;
  emit: (event: ReplicateEvent) => void;
  env?: NodeJS.ProcessEnv;
}

export async function runReplicate(flags: RunFlags): Promise<ReplicateSummary> {
  const env = flags.env ?? process.env;
  const from = parseLocation(flags.from, '--from');
  const to = parseLocation(flags.to, '--to');
  if (from.kind === 'local' && to.kind === 'local') throw ReplicateErrors.UNSUPPORTED('--from and --to are both this store; use `nora tag` to copy within it');
  const selection = parseSelection(flags, Date.now());
  const retryTime = duration('--retry-time', flags.retryTime);
  const timeout = duration('--timeout', flags.timeout);
  const format = flags.format ?? 'oci';
  const pulling = format !== 'oci' && to.kind === 'local';
  if (pulling) {
    if (!(PULL_FORMATS as readonly string[]).includes(format)) throw ReplicateErrors.UNSUPPORTED(`--format ${format} pushes this store to a remote NORA (--from local/ --to https://nora.example.com); only ${PULL_FORMATS.join(', ')} can be pulled into local/`);
    if (to.kind === 'local' && to.prefix) throw ReplicateErrors.UNSUPPORTED(`--format ${format} keeps package names (a prefix would make them other packages): --to local/ takes no prefix`);
    if (from.kind !== 'registry' || from.path || from.tag || from.digest) {
      throw ReplicateErrors.UNSUPPORTED(`--format ${format} pulls a remote NORA into this store: --from https://nora.example.com --to local/ (select names with --filter)`);
    }
  } else if (format !== 'oci') {
    if (from.kind !== 'local' || from.prefix || to.kind !== 'registry' || to.path || to.tag || to.digest) {
      throw ReplicateErrors.UNSUPPORTED(`--format ${format} pushes this store to a remote NORA: --from local/ --to https://nora.example.com (select names with --filter)`);
    }
  }
  let services: Awaited<ReturnType<typeof import('../../services.js').createServices>> | undefined;
  if (from.kind === 'local' || to.kind === 'local') {
    if (!flags.config) throw ReplicateErrors.UNSUPPORTED('a local/ side needs the store\'s configuration');
    const { createServices } = await import('../../services.js');
    services = await createServices(flags.config);
  }
  const retryPolicy = { attempts: flags.retries, maxTimeMs: retryTime, baseMs: 500, now: Date.now, sleep: (ms: number) => new Promise((r) => setTimeout(r, ms)), random: Math.random };
  if (pulling && from.kind === 'registry') {
    const auth = registryAuth(from, { name: 'src', creds: flags.srcCreds, token: flags.srcToken }, env);
    const remote = new RemoteNora(from.base, auth, timeout, flags.concurrency * 2 + 2);
    const retry = <T>(what: string, step: () => Promise<T>) => withRetry(step, { ...retryPolicy, onRetry: (attempt, wait, error) => flags.emit({ type: 'retry', what, attempt, wait_ms: wait, reason: (error as Error).message }) });
    try {
      return await pullFormat({ format: format as PullFormat, formats: services!.formats, blobs: services!.blobs, config: flags.config!, remote, selection, dryRun: flags.dryRun, concurrency: flags.concurrency, retry, emit: flags.emit, now: Date.now, actor: 'replicate' });
    } finally {
      await remote.close();
      await services?.close();
    }
  }
  if (format !== 'oci' && to.kind === 'registry') {
    const auth = registryAuth(to, { name: 'dst', creds: flags.dstCreds, token: flags.dstToken }, env);
    const remote = new RemoteNora(to.base, auth, timeout, flags.concurrency * 2 + 2);
    const retry = <T>(what: string, step: () => Promise<T>) => withRetry(step, { ...retryPolicy, onRetry: (attempt, wait, error) => flags.emit({ type: 'retry', what, attempt, wait_ms: wait, reason: (error as Error).message }) });
    try {
      return await pushFormat({ format: format as PackageFormat, service: services!.formats[format as PackageFormat], blobs: services!.blobs, remote, selection, dryRun: flags.dryRun, concurrency: flags.concurrency, retry, emit: flags.emit, now: Date.now });
    } finally {
      await remote.close();
      await services?.close();
    }
  }
  const open = (location: Location, side: 'src' | 'dst'): OciEndpoint => {
    if (location.kind === 'local') return new LocalEndpoint(services!.formats.oci);
    const auth = registryAuth(location, { name: side, creds: side === 'src' ? flags.srcCreds : flags.dstCreds, token: side === 'src' ? flags.srcToken : flags.dstToken }, env);
    return new RegistryEndpoint({ base: location.base, auth, timeoutMs: timeout, maxConcurrency: flags.concurrency * 2 + 2 });
  };
  const source = open(from, 'src');
  const dest = open(to, 'dst');
  try {
    return await replicate({
      from, to, source, dest, selection, referrers: flags.referrers, dryRun: flags.dryRun, concurrency: flags.concurrency, emit: flags.emit,
      retry: retryPolicy,
    });
  } finally {
    await source.close();
    await dest.close();
    await services?.close();
  }
}

function duration(flag: string, text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw ReplicateErrors.BAD_FILTER(flag, text, 'expected a duration such as "30s" or "10m"');
  return ms;
}
