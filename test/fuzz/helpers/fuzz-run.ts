// The fuzz harness every protocol's fuzz test shares: one real `nora serve` with access control
// on (a writer, a pull-only reader, nobody else), a few legitimate artifacts published first,
// then a seeded stream of hostile requests, each invalid or unauthorized by construction. It
// asserts no 5xx, an answer to every request, the process alive with /health 200 after, and the
// data directory's blobs/ and repos/ exactly as before. Bounded by a count and a time budget.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { writeHtpasswd } from '../../helpers/auth-fixtures.js';
import { startNora, type NoraServer } from '../../helpers/nora-process.js';
import { forgedAuthorization } from './hostile.js';
import { fuzzCount, fuzzSeed, Prng } from './prng.js';
import { sendRaw, type RawAnswer, type RawRequest } from './raw-client.js';

const PASSWORDS = { writer: 'writer-fuzz-pw-1', reader: 'reader-fuzz-pw-2' } as const;
const basicOf = (user: keyof typeof PASSWORDS) => `Basic ${Buffer.from(`${user}:${PASSWORDS[user]}`).toString('base64')}`;
/** Time the stream of requests may take per protocol; the count is cut short past it. */
const BUDGET_MS = Number(process.env.FUZZ_BUDGET_MS ?? 12_000);
/** A request still unanswered after this is reported as stalled (a hang, not slowness). */
const STALL_MS = 20_000;

/** Who sends a request: `writer` only ever sends invalid requests; the others lack the right. */
export type Who = 'writer' | 'reader' | 'anonymous' | 'forged';

export interface FuzzCase extends RawRequest {
  as: Who;
  /** A request to send right after, built from this one's answer (e.g. using the token it issued). */
  then?: (answer: RawAnswer) => FuzzCase | undefined;
}

export interface FuzzTarget {
  url: string;
  /** Authorization headers of the two real users, for seeding and for generated requests. */
  writer: string;
  reader: string;
}

/**
 * A failure already filed and being fixed elsewhere, recognised by the server's error log line
 * of the request or by the request and answer: it is printed, not failed, so the rest of the run
 * still guards everything else. Delete the entry when the fix lands (the run says when an entry
 * matched nothing).
 */
export interface KnownIssue {
  note: string;
  log?: RegExp;
  when?: (c: FuzzCase, answer: RawAnswer) => boolean;
}

export interface FuzzSpec<S> {
  known?: KnownIssue[];
  /** Publishes the artifacts the generated requests aim at, as the writer; returns what they need. */
  seed(target: FuzzTarget): Promise<S>;
  /** One hostile request. */
  generate(rng: Prng, seeded: S): FuzzCase;
  count?: number;
}

async function snapshot(dataDir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const top of ['blobs', 'repos']) {
    const root = path.join(dataDir, top);
    const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
    for (const entry of entries.filter((e) => e.isFile())) {
      const file = path.join(entry.parentPath, entry.name);
      out[path.relative(dataDir, file)] = createHash('sha256').update(await readFile(file)).digest('hex');
    }
  }
  return out;
}

function describeCase(c: FuzzCase, answer: RawAnswer): string {
  const body = c.body ? `${c.body.length} bytes ${JSON.stringify(c.body.subarray(0, 80).toString('latin1'))}` : 'no body';
  return `${c.method} ${JSON.stringify(c.path.slice(0, 300))} as ${c.as}, headers ${JSON.stringify(c.headers ?? {}).slice(0, 300)}, ${body}\n` +
    `  -> ${answer.status}${answer.error ? ` (${answer.error})` : ''} ${JSON.stringify(answer.text.slice(0, 400))}`;
}

/** The server's error log lines for the answer's request id (with the stack), for the report. */
function serverErrors(logs: string, answer: string): string {
  const id = /x-request-id: ([^\r\n]+)/i.exec(answer)?.[1];
  if (!id) return '';
  const lines = logs.split('\n').filter((line) => line.includes(id) && /"level":"?(50|60|error|fatal)/.test(line));
  return lines.map((line) => `\n  server: ${line.slice(0, 1500)}`).join('');
}

/** Registers the fuzz test of `protocol` (one server per test file). */
export function fuzzProtocol<S>(protocol: string, spec: FuzzSpec<S>): void {
  let nora: NoraServer;
  let dir: string;
  let target: FuzzTarget;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), `nora-fuzz-${protocol}-`));
    const htpasswd = writeHtpasswd({ ...PASSWORDS });
    const config = path.join(dir, 'nora.toml');
    await writeFile(config, [
      '[auth]', 'enabled = true', `htpasswd_file = "${htpasswd}"`, 'anonymous = []',
      '[[auth.rules]]', 'subject = "writer"', 'permissions = ["admin:**"]',
      '[[auth.rules]]', 'subject = "reader"', 'permissions = ["pull:**"]',
      // Forged logins from 127.0.0.1 must not lock the writer out mid-run.
      '[rate_limit]', 'auth_burst = 100000000',
      '[npm]', 'upstream = ""', '[maven]', 'upstream = []', '[cargo]', 'upstream_index = ""', '',
    ].join('\n'));
    nora = await startNora({ args: ['--config', config] });
    target = { url: nora.url, writer: basicOf('writer'), reader: basicOf('reader') };
  }, 60_000);

  afterAll(async () => {
    await nora?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test(`${protocol}: hostile requests get no 5xx, the server stays up, the store is unchanged`, async () => {
    const seeded = await spec.seed(target);
    const seed = fuzzSeed();
    const count = fuzzCount(spec.count ?? 300);
    const rng = new Prng(seed, protocol);
    console.log(`fuzz ${protocol}: seed ${seed} (replay with FUZZ_SEED=${seed}), up to ${count} requests`);
    const port = Number(new URL(nora.url).port);
    const before = await snapshot(nora.dataDir);
    const failures: string[] = [];
    const known = new Map<KnownIssue, number>();
    const accepted: string[] = [];
    const slowest: Array<{ ms: number; what: string }> = [];
    const statuses: Record<string, number> = {};
    const started = Date.now();
    let sent = 0;
    let followUp: FuzzCase | undefined;
    for (; sent < count && Date.now() - started < BUDGET_MS; sent++) {
      const c = followUp ?? spec.generate(rng, seeded);
      const authorization = c.as === 'writer' ? target.writer : c.as === 'reader' ? target.reader : c.as === 'forged' ? forgedAuthorization(rng) : undefined;
      const sentAt = Date.now();
      const answer = await sendRaw(port, { ...c, headers: { ...(authorization ? { authorization } : {}), ...c.headers } }, STALL_MS);
      slowest.push({ ms: Date.now() - sentAt, what: `#${sent} ${c.method} ${JSON.stringify(c.path.slice(0, 120))} (${c.body?.length ?? 0} bytes) -> ${answer.status}` });
      slowest.sort((x, y) => y.ms - x.ms).splice(3);
      statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
      followUp = c.then?.(answer);
      // Suspects when the store changes: writes that were accepted.
      if (answer.status < 300 && !['GET', 'HEAD'].includes(c.method)) accepted.push(`#${sent} ${describeCase(c, answer)}`);
      if (answer.status < 500 && answer.status !== 0) continue;
      const errors = serverErrors(nora.logs(), answer.text);
      const issue = spec.known?.find((k) => (k.log?.test(errors) ?? true) && (k.when?.(c, answer) ?? true));
      if (issue) known.set(issue, (known.get(issue) ?? 0) + 1);
      else failures.push(`#${sent} ${describeCase(c, answer)}${errors}`);
    }
    if (process.env.FUZZ_VERBOSE) console.log(accepted.join('\n'));
    console.log(`fuzz ${protocol}: ${sent} requests in ${Date.now() - started} ms; statuses ${JSON.stringify(statuses)}; slowest: ${slowest.map((x) => `${x.ms} ms ${x.what}`).join('; ')}`);
    for (const issue of spec.known ?? []) {
      console.warn(`fuzz ${protocol}: known issue ${known.has(issue) ? `hit ${known.get(issue)} times` : 'not hit in this run'}: ${issue.note}`);
    }
    const health = await fetch(`${nora.url}/health`);
    expect(nora.process.exitCode, `nora exited (seed ${seed})\n${nora.logs().slice(-2000)}`).toBeNull();
    expect(health.status).toBe(200);
    expect(failures, `seed ${seed}: requests answered 5xx or not at all`).toEqual([]);
    expect(await snapshot(nora.dataDir), `seed ${seed}: the store changed; writes answered 2xx:\n${accepted.join('\n')}`).toEqual(before);
  }, 120_000);
}
