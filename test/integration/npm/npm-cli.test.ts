// The stock npm CLI (and pnpm) against a real NORA process: the commands a team uses, in the
// order a team uses them, each asserted on what the CLI prints and on what the registry holds.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { npmSandbox, type NpmSandbox } from '../../helpers/npm-cli.js';
import { startNora, type NoraServer } from '../../helpers/nora-process.js';

let server: NoraServer;
let sb: NpmSandbox;
const BASE = 'nora-cli-base';
const APP = '@nora-cli/app';

beforeAll(async () => {
  server = await startNora({ env: { NORA_NPM_UPSTREAM: '' } });
  sb = await npmSandbox(server.url);
});
afterAll(async () => { await server?.stop(); await sb?.cleanup(); });

async function ok(promise: ReturnType<NpmSandbox['npm']>) {
  const result = await promise;
  expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
  return result;
}

async function project(name: string, dependencies: Record<string, string>): Promise<string> {
  const dir = path.join(sb.dir, name);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', private: true, dependencies }));
  return dir;
}

describe('npm CLI against NORA', { timeout: 240_000 }, () => {
  it('publishes, installs, views, tags, deprecates, unpublishes, searches and pings', async () => {
    await ok(sb.npm(['ping']));
    await ok(sb.npm(['publish'], await sb.writePackage({ name: BASE, version: '1.0.0', description: 'base of the CLI test', main: 'index.js', keywords: ['nora-cli-test'] })));
    await ok(sb.npm(['publish'], await sb.writePackage({ name: APP, version: '1.0.0', description: 'scoped app', main: 'index.js', dependencies: { [BASE]: '^1.0.0' } })));

    // install both into a fresh project with an empty cache (a separate one from the publishes)
    const consumer = await project('consumer', { [APP]: '^1.0.0' });
    await ok(sb.npm(['install', '--cache', path.join(sb.dir, 'cache-install')], consumer));
    const required = await ok(sb.npm(['exec', '--', 'node', '-e', `console.log(require('${APP}'), require('${BASE}'))`], consumer));
    expect(required.stdout).toContain(`${APP} ${BASE}`);

    // pnpm installs the same packages from NORA
    const pnpmProject = await project('pnpm-consumer', { [APP]: '1.0.0' });
    await writeFile(path.join(pnpmProject, '.npmrc'), `registry=${sb.registry}\n`);
    const pnpm = await sb.pnpm(['install', '--store-dir', path.join(sb.dir, 'pnpm-store'), '--reporter', 'append-only'], pnpmProject);
    expect(pnpm.code, pnpm.stdout + pnpm.stderr).toBe(0);
    const pnpmCheck = await sb.npm(['exec', '--', 'node', '-e', `console.log(require('${APP}'))`], pnpmProject);
    expect(pnpmCheck.stdout).toContain(APP);

    expect((await ok(sb.npm(['view', BASE, 'version']))).stdout.trim()).toBe('1.0.0');
    expect(JSON.parse((await ok(sb.npm(['view', APP, 'dependencies', '--json']))).stdout)).toEqual({ [BASE]: '^1.0.0' });

    await ok(sb.npm(['dist-tag', 'add', `${BASE}@1.0.0`, 'stable']));
    expect((await ok(sb.npm(['dist-tag', 'ls', BASE]))).stdout).toMatch(/stable: 1\.0\.0/);
    await ok(sb.npm(['dist-tag', 'rm', BASE, 'stable']));
    expect((await ok(sb.npm(['dist-tag', 'ls', BASE]))).stdout).not.toMatch(/stable/);

    await ok(sb.npm(['deprecate', `${BASE}@1.0.0`, 'please use 1.1.0']));
    expect((await ok(sb.npm(['view', `${BASE}@1.0.0`, 'deprecated']))).stdout.trim()).toBe('please use 1.1.0');

    await ok(sb.npm(['publish'], await sb.writePackage({ name: BASE, version: '1.1.0', description: 'base of the CLI test', main: 'index.js', keywords: ['nora-cli-test'] })));
    expect(JSON.parse((await ok(sb.npm(['view', BASE, 'versions', '--json']))).stdout)).toEqual(['1.0.0', '1.1.0']);
    const duplicate = await sb.npm(['publish'], await sb.writePackage({ name: BASE, version: '1.1.0', main: 'index.js' }));
    expect(duplicate.code).not.toBe(0);
    expect(duplicate.stderr).toMatch(/previously published versions: 1\.1\.0/);

    const search = await ok(sb.npm(['search', 'nora-cli', '--json']));
    expect((JSON.parse(search.stdout) as Array<{ name: string }>).map((p) => p.name).sort()).toEqual([APP, BASE].sort());

    await ok(sb.npm(['unpublish', `${BASE}@1.0.0`]));
    expect(JSON.parse((await ok(sb.npm(['view', BASE, 'versions', '--json']))).stdout)).toEqual(['1.1.0']);
    expect((await fetch(`${server.url}/npm/${BASE}/-/${BASE}-1.0.0.tgz`)).status).toBe(404);

    await ok(sb.npm(['unpublish', BASE, '--force']));
    const gone = await sb.npm(['view', BASE]);
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toMatch(/E404/);

    const whoami = await sb.npm(['whoami']);
    expect(whoami.code).not.toBe(0);
    expect(whoami.stderr).toMatch(/E401|401/);
  });
});
