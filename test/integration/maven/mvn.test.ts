// Stock Maven 3.8.7 against the real NORA process, with no network (see mvn-project.ts): deploy
// a release and a SNAPSHOT twice, refuse a release redeploy, then resolve both from an empty
// local repository in a second project that compiles and runs. mvn is slow on two cores, so
// the scenario is one test with the fewest invocations that cover it.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNora, type NoraServer } from '../../helpers/nora-process.js';
import { runMvn, settingsXml, writeConsumer, writeLibrary } from './mvn-project.js';
import { clientGate } from '../../helpers/clients.js';

const gate = clientGate('mvn');

const run = promisify(execFile);
let nora: NoraServer;
let work: string;

const mvn = (cwd: string, localRepo: string, ...args: string[]) => runMvn(path.join(work, 'settings.xml'), cwd, localRepo, args);

beforeAll(async () => {
  if (gate.skip) return;
  nora = await startNora({ env: { NORA_MAVEN_UPSTREAM: '' } });
  work = await mkdtemp(path.join(os.tmpdir(), 'nora-mvn-'));
  await writeFile(path.join(work, 'settings.xml'), settingsXml(`${nora.url}/maven2/`));
});

afterAll(async () => {
  await nora?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe.skipIf(gate.skip)(gate.title('mvn 3.8.7'), () => {
  it('deploys a release and SNAPSHOTs, refuses a release redeploy, and resolves both in a fresh project', async () => {
    const lib = path.join(work, 'lib');
    const buildRepo = path.join(work, 'build-repo');
    const base = `${nora.url}/maven2/org/example/nora/greeter`;

    await writeLibrary(lib, `${nora.url}/maven2/`, '1.0.0', 'hello');
    const release = await mvn(lib, buildRepo, 'deploy');
    expect(release.ok, release.output).toBe(true);
    expect((await fetch(`${base}/1.0.0/greeter-1.0.0.jar`)).status).toBe(200);

    const again = await mvn(lib, buildRepo, 'deploy');
    expect(again.ok).toBe(false);
    expect(again.output).toContain('409');

    for (const greeting of ['hi 1', 'hi 2']) {
      await writeLibrary(lib, `${nora.url}/maven2/`, '1.1.0-SNAPSHOT', greeting);
      const snapshot = await mvn(lib, buildRepo, 'deploy');
      expect(snapshot.ok, snapshot.output).toBe(true);
    }
    const versionMetadata = await (await fetch(`${base}/1.1.0-SNAPSHOT/maven-metadata.xml`)).text();
    expect(versionMetadata).toContain('<buildNumber>2</buildNumber>');
    const builds = [...versionMetadata.matchAll(/<value>(1\.1\.0-\d{8}\.\d{6}-2)<\/value>/g)].map((m) => m[1]);
    expect(builds).toHaveLength(2); // jar and pom of the latest build
    const listing = await (await fetch(`${base}/1.1.0-SNAPSHOT/`)).text();
    expect(listing.match(/greeter-1\.1\.0-\d{8}\.\d{6}-1\.jar"/g)).toHaveLength(1);
    expect(listing.match(/greeter-1\.1\.0-\d{8}\.\d{6}-2\.jar"/g)).toHaveLength(1);
    const artifactMetadata = await (await fetch(`${base}/maven-metadata.xml`)).text();
    expect(artifactMetadata).toContain('<release>1.0.0</release>');
    expect(artifactMetadata).toContain('<latest>1.1.0-SNAPSHOT</latest>');

    const app = path.join(work, 'app');
    const freshRepo = path.join(work, 'fresh-repo');
    await writeConsumer(app, `${nora.url}/maven2/`);
    const greeterRepo = path.join(freshRepo, 'org/example/nora/greeter');
    const classes = path.join(app, 'target/classes');

    const withRelease = await mvn(app, freshRepo, '-Dgreeter.version=1.0.0', 'compile');
    expect(withRelease.ok, withRelease.output).toBe(true);
    const releaseRun = await run('java', ['-cp', `${classes}:${path.join(greeterRepo, '1.0.0/greeter-1.0.0.jar')}`, 'org.example.app.Main']);
    expect(releaseRun.stdout.trim()).toBe('hello nora');

    const withSnapshot = await mvn(app, freshRepo, '-Dgreeter.version=1.1.0-SNAPSHOT', 'compile');
    expect(withSnapshot.ok, withSnapshot.output).toBe(true);
    const jars = (await readdir(path.join(greeterRepo, '1.1.0-SNAPSHOT'))).filter((f) => /-\d+\.jar$/.test(f));
    expect(jars).toEqual([expect.stringMatching(/^greeter-1\.1\.0-\d{8}\.\d{6}-2\.jar$/)]);
    const snapshotRun = await run('java', ['-cp', `${classes}:${path.join(greeterRepo, '1.1.0-SNAPSHOT', jars[0]!)}`, 'org.example.app.Main']);
    expect(snapshotRun.stdout.trim()).toBe('hi 2 nora');
  }, 480_000);
});
