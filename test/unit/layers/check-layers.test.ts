// scripts/check-layers.mjs run over small source trees: each layering rule refuses its violation
// and lets the allowed shape through; the real tree passes.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runProcess } from '../../helpers/run-process.js';

const root = path.join(__dirname, '..', '..', '..');
let tree: string | undefined;
afterEach(() => { if (tree) rmSync(tree, { recursive: true, force: true }); tree = undefined; });

/** Runs the layer check over a tree holding `files` (path under src/ -> source). */
async function check(files: Record<string, string>) {
  tree = mkdtempSync(path.join(os.tmpdir(), 'nora-layers-'));
  cpSync(path.join(root, 'scripts', 'check-layers.mjs'), path.join(tree, 'scripts', 'check-layers.mjs'));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(tree, 'src', file)), { recursive: true });
    writeFileSync(path.join(tree, 'src', file), text);
  }
  const result = await runProcess(process.execPath, [path.join(tree, 'scripts', 'check-layers.mjs')]);
  // The real exception lists name files this small tree lacks; those complaints are not under test.
  return { code: result.code, problems: result.stderr.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('stale exception') && !l.startsWith('layer check failed')) };
}

describe('layer check', () => {
  it('only lib/storage imports node:fs, node:fs/promises or @aws-sdk/*', async () => {
    const { problems } = await check({
      'lib/storage/fs-store.ts': "import { promises } from 'node:fs';\nimport { S3Client } from '@aws-sdk/client-s3';\n",
      'lib/npm/cache.ts': "import { readFileSync } from 'node:fs';\n",
      'lib/ops/sweep.ts': "export const load = () => import('fs/promises');\n",
      'server/api/side-effect.ts': "import 'node:fs';\n",
      'lib/ops/bucket.ts': "import { S3Client } from '@aws-sdk/client-s3';\n",
    });
    expect(problems).toHaveLength(4);
    expect(problems).toEqual(expect.arrayContaining([
      expect.stringMatching(/^lib\/npm\/cache\.ts imports node:fs: only src\/lib\/storage/),
      expect.stringMatching(/^lib\/ops\/sweep\.ts imports fs\/promises: only src\/lib\/storage/),
      expect.stringMatching(/^server\/api\/side-effect\.ts imports node:fs: only src\/lib\/storage/),
      expect.stringMatching(/^lib\/ops\/bucket\.ts imports @aws-sdk\/client-s3: only src\/lib\/storage/),
    ]));
  });

  it('server protocol folders do not import each other; core and the app assembly are shared', async () => {
    const { problems } = await check({
      'server/oci/errors.ts': "export const x = 1;\n",
      'server/core/public-url.ts': "export const y = 1;\n",
      'server/npm/routes.ts': "import { x } from '../oci/errors.js';\nimport { y } from '../core/public-url.js';\n",
      'server/app.ts': "import { x } from './oci/errors.js';\n",
    });
    expect(problems).toEqual([expect.stringMatching(/^server\/npm\/routes\.ts imports server\/oci\/errors\.ts: server protocol folders/)]);
  });

  it('lib/upstream imports no format', async () => {
    const { problems } = await check({
      'lib/npm/packument.ts': "export const p = 1;\n",
      'lib/upstream/kit.ts': "import { p } from '../npm/packument.js';\n",
      'lib/npm/upstream.ts': "import { p } from './packument.js';\nimport { k } from '../upstream/kit.js';\n",
    });
    expect(problems).toEqual([expect.stringMatching(/^lib\/upstream\/kit\.ts imports lib\/npm\/packument\.ts: src\/lib\/upstream is the shared upstream kit/)]);
  });

  it('only a format\'s own module names repos/<format> or imports its key layout module', async () => {
    const { problems } = await check({
      'lib/cargo/crate-document.ts': "export const crateKey = (n: string) => `repos/cargo/crates/${n}`;\n",
      'lib/cargo/cargo-service.ts': "import { crateKey } from './crate-document.js';\n",
      'server/cargo/index-routes.ts': "import { crateKey } from '../../lib/cargo/crate-document.js';\n",
      'lib/ops/sweep.ts': "export const prefix = 'repos/cargo/';\n",
    });
    expect(problems).toEqual(expect.arrayContaining([
      expect.stringMatching(/^server\/cargo\/index-routes\.ts imports lib\/cargo\/crate-document\.ts: only src\/lib\/cargo\/ knows its key layout/),
      expect.stringMatching(/^lib\/ops\/sweep\.ts names repos\/cargo: only src\/lib\/cargo\//),
    ]));
    expect(problems).toHaveLength(2);
  });

  it('only lib/pypi imports pypi\'s key layout module (project-store.ts)', async () => {
    const { problems } = await check({
      'lib/pypi/project-store.ts': "export const projectKey = (n: string) => `repos/pypi/${n}/project.json`;\n",
      'lib/pypi/pypi-service.ts': "import { projectKey } from './project-store.js';\n",
      'server/pypi/upload-route.ts': "import { projectKey } from '../../lib/pypi/project-store.js';\n",
    });
    expect(problems).toEqual([expect.stringMatching(/^server\/pypi\/upload-route\.ts imports lib\/pypi\/project-store\.ts: only src\/lib\/pypi\/ knows its key layout/)]);
  });

  it('an exception that allows nothing any more is reported, and the real tree passes', async () => {
    const stale = await check({ 'lib/config/loader.ts': "export const none = 1;\n" });
    expect(stale.code).toBe(1);
    const real = await runProcess(process.execPath, [path.join(root, 'scripts', 'check-layers.mjs')]);
    expect(real.stderr).toBe('');
    expect(real.code).toBe(0);
  });
});
