// Apache Ivy (Debian's ivy, an m2-compatible ibiblio resolver) resolving from the real NORA
// process: a release, a SNAPSHOT through its version-level metadata (latest timestamped build),
// and a dynamic revision through the artifact-level metadata. Ivy needs no network here.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNora, type NoraServer } from '../../helpers/nora-process.js';
import { clientGate } from '../../helpers/clients.js';

const gate = clientGate('ivy');

const run = promisify(execFile);
const IVY = '/usr/share/java/ivy.jar';
let nora: NoraServer;
let work: string;

async function deploy(file: string, body: string) {
  const response = await fetch(`${nora.url}/maven2/org/example/nora/greeter/${file}`, { method: 'PUT', body });
  expect(response.status, file).toBe(201);
}

async function resolve(revision: string): Promise<string> {
  const out = path.join(work, `out-${revision}`);
  await run('java', ['-jar', IVY, '-settings', path.join(work, 'ivysettings.xml'), '-cache', path.join(work, `cache-${revision}`),
    '-dependency', 'org.example.nora', 'greeter', revision, '-retrieve', `${out}/[artifact]-[revision].[ext]`]);
  return out;
}

beforeAll(async () => {
  if (gate.skip) return;
  nora = await startNora({ env: { NORA_MAVEN_UPSTREAM: '' } });
  work = await mkdtemp(path.join(os.tmpdir(), 'nora-ivy-'));
  await writeFile(path.join(work, 'ivysettings.xml'), `<ivysettings><settings defaultResolver="nora"/>
  <resolvers><ibiblio name="nora" m2compatible="true" root="${nora.url}/maven2/"/></resolvers></ivysettings>\n`);
  const pom = (v: string) => `<project><modelVersion>4.0.0</modelVersion><groupId>org.example.nora</groupId><artifactId>greeter</artifactId><version>${v}</version></project>`;
  await deploy('1.0.0/greeter-1.0.0.jar', 'release jar');
  await deploy('1.0.0/greeter-1.0.0.pom', pom('1.0.0'));
  for (const [stamp, build] of [['20260101.100000', 1], ['20260102.110000', 2]] as const) {
    await deploy(`1.1.0-SNAPSHOT/greeter-1.1.0-${stamp}-${build}.jar`, `snapshot jar ${build}`);
    await deploy(`1.1.0-SNAPSHOT/greeter-1.1.0-${stamp}-${build}.pom`, pom('1.1.0-SNAPSHOT'));
  }
});

afterAll(async () => {
  await nora?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe.skipIf(gate.skip)(gate.title('Apache Ivy'), () => {
  it('resolves a release, the latest SNAPSHOT build and a dynamic revision', async () => {
    expect(await readFile(path.join(await resolve('1.0.0'), 'greeter-1.0.0.jar'), 'utf8')).toBe('release jar');
    expect(await readFile(path.join(await resolve('1.1.0-SNAPSHOT'), 'greeter-1.1.0-SNAPSHOT.jar'), 'utf8')).toBe('snapshot jar 2');
    expect(await readFile(path.join(await resolve('latest.integration'), 'greeter-1.1.0-SNAPSHOT.jar'), 'utf8')).toBe('snapshot jar 2');
  }, 120_000);
});
