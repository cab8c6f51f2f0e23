// Stock Maven with access control on: the server credentials of settings.xml (sent after NORA's
// Basic challenge) deploy a release and resolve it in a fresh project; anonymous callers get 401
// with the challenge. One deploy and one resolve: mvn is slow on two cores.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeHtpasswd } from '../../helpers/auth-fixtures.js';
import { startNora, type NoraServer } from '../../helpers/nora-process.js';
import { runMvn, settingsXml, writeConsumer, writeLibrary } from './mvn-project.js';
import { clientGate } from '../../helpers/clients.js';

const gate = clientGate('mvn');

let nora: NoraServer;
let work: string;

const mvn = (cwd: string, localRepo: string, ...args: string[]) => runMvn(path.join(work, 'settings.xml'), cwd, localRepo, args);

beforeAll(async () => {
  if (gate.skip) return;
  work = await mkdtemp(path.join(os.tmpdir(), 'nora-mvn-auth-'));
  // settings.xml carries <server> nora with ci / ci-secret.
  const htpasswd = writeHtpasswd({ ci: 'ci-secret' });
  const config = path.join(work, 'nora.toml');
  await writeFile(config, `[auth]\nenabled = true\nhtpasswd_file = "${htpasswd}"\n\n[[auth.rules]]\nsubject = "ci"\npermissions = ["push:maven:org/example/**", "pull:*"]\n\n[maven]\nupstream = []\n`);
  nora = await startNora({ args: ['--config', config] });
  await writeFile(path.join(work, 'settings.xml'), settingsXml(`${nora.url}/maven2/`));
});

afterAll(async () => {
  await nora?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe.skipIf(gate.skip)(gate.title('mvn with credentials'), () => {
  it('deploys and resolves with settings.xml credentials; anonymous gets a Basic challenge', { timeout: 240_000 }, async () => {
    const anon = await fetch(`${nora.url}/maven2/org/example/nora/greeter/1.0.0/greeter-1.0.0.pom`);
    expect(anon.status).toBe(401);
    expect(anon.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    const lib = path.join(work, 'lib');
    await writeLibrary(lib, `${nora.url}/maven2/`, '1.0.0', 'hello');
    const deployed = await mvn(lib, path.join(work, 'repo-build'), 'deploy');
    expect(deployed.ok, deployed.output).toBe(true);
    const app = path.join(work, 'app');
    await writeConsumer(app, `${nora.url}/maven2/`);
    const resolved = await mvn(app, path.join(work, 'repo-fresh'), '-Dgreeter.version=1.0.0', 'compile');
    expect(resolved.ok, resolved.output).toBe(true);
    expect(nora.logs()).not.toContain('ci-secret');
  });
});
