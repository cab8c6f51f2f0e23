// Local packages win: a name published here never shows an upstream version, and publishing a
// name that only the upstream has is refused unless [npm] allow_shadowing says otherwise.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNora, type NoraServer } from '../../helpers/nora-process.js';
import { publish } from '../../helpers/npm-http.js';

let upstream: NoraServer;
let guarded: NoraServer;
let shadowing: NoraServer;

beforeAll(async () => {
  upstream = await startNora({ env: { NORA_NPM_UPSTREAM: '' } });
  const env = { NORA_NPM_UPSTREAM: `${upstream.url}/npm`, NORA_NPM_METADATA_TTL: '0ms' };
  [guarded, shadowing] = await Promise.all([startNora({ env }), startNora({ env: { ...env, NORA_NPM_ALLOW_SHADOWING: 'true' } })]);
});
afterAll(async () => { await Promise.all([guarded?.stop(), shadowing?.stop(), upstream?.stop()]); });

const versionsOf = async (server: NoraServer, name: string) => Object.keys(((await (await fetch(`${server.url}/npm/${name}`)).json()) as { versions: object }).versions).sort();

describe('local packages win over the upstream', { timeout: 60_000 }, () => {
  it('refuses to shadow an upstream-only name, with a message saying why', async () => {
    expect((await publish(upstream.url, 'popular-lib')).status).toBe(201);
    const refused = await publish(guarded.url, 'popular-lib', { version: '99.0.0' });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: string }).error).toMatch(/popular-lib exists on the upstream registry .*dependency confusion.*allow_shadowing/);
    expect(await versionsOf(guarded, 'popular-lib')).toEqual(['1.0.0']);
    const search = await (await fetch(`${guarded.url}/npm/-/v1/search?text=popular-lib`)).json() as { objects: Array<{ package: { name: string } }>; total: number };
    expect(search.objects.map((o) => o.package.name)).toEqual(['popular-lib']);
  });

  it('with allow_shadowing, a local publish hides every upstream version', async () => {
    expect((await publish(upstream.url, 'shadowed-lib')).status).toBe(201);
    expect((await publish(shadowing.url, 'shadowed-lib', { version: '2.0.0' })).status).toBe(201);
    expect(await versionsOf(shadowing, 'shadowed-lib')).toEqual(['2.0.0']);
    expect((await fetch(`${shadowing.url}/npm/shadowed-lib/-/shadowed-lib-1.0.0.tgz`)).status).toBe(404);
  });

  it('a name published locally first never shows versions the upstream publishes later', async () => {
    expect((await publish(guarded.url, '@corp/internal', { version: '1.0.0' })).status).toBe(201);
    expect((await publish(upstream.url, '@corp/internal', { version: '9.9.9' })).status).toBe(201);
    expect(await versionsOf(guarded, '@corp%2finternal')).toEqual(['1.0.0']);
    const tags = await (await fetch(`${guarded.url}/npm/-/package/@corp%2finternal/dist-tags`)).json();
    expect(tags).toEqual({ latest: '1.0.0' });
    const search = await (await fetch(`${guarded.url}/npm/-/v1/search?text=internal`)).json() as { objects: Array<{ package: { name: string; version: string } }> };
    expect(search.objects.filter((o) => o.package.name === '@corp/internal').map((o) => o.package.version)).toEqual(['1.0.0']);
  });
});
