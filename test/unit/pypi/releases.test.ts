// Yank, unyank and delete of releases over memory storage, and what the pages then show.
import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../../src/lib/storage/memory-store.js';
import { BlobStore } from '../../../src/lib/blobs/blob-store.js';
import { EventBus, type DomainEvent } from '../../../src/lib/events/bus.js';
import { deleteFile, deleteRelease, unyankRelease, yankRelease } from '../../../src/lib/pypi/releases.js';
import { readProject, updateProject, listProjects, type StoredFile } from '../../../src/lib/pypi/project-store.js';
import { PypiRegistry } from '../../../src/lib/pypi/registry.js';

const file = (version: string, ext = '.tar.gz'): StoredFile => ({
  filename: ext === '.whl' ? `demo-${version}-py3-none-any.whl` : `demo-${version}${ext}`, version, kind: ext === '.whl' ? 'wheel' : 'sdist',
  digest: `sha256:${'a'.repeat(64)}`, sha256: 'a'.repeat(64), size: 1, uploadTime: '2026-01-01T00:00:00.000Z',
});

let store: MemoryStore;
let events: DomainEvent[];
let deps: { store: MemoryStore; events: EventBus };
beforeEach(async () => {
  store = new MemoryStore();
  events = [];
  const bus = new EventBus();
  bus.subscribe((e) => { events.push(e); });
  deps = { store, events: bus };
  await updateProject(store, 'demo', () => ({ name: 'Demo', files: [file('1.0'), file('1.0', '.whl'), file('2.0')] }));
});

describe('releases', () => {
  it('yanks and unyanks every file of a version, whatever its spelling', async () => {
    expect(await yankRelease(deps, 'DEMO', 'v1.0', 'broken')).toHaveLength(2);
    let doc = await readProject(store, 'demo');
    expect(doc!.files.map((f) => f.yanked)).toEqual(['broken', 'broken', undefined]);
    const registry = new PypiRegistry({ store, blobs: new BlobStore(store), events: deps.events });
    const page = await registry.projectPage('demo', 'http://h');
    expect(page!.files.map((f) => f.yanked)).toEqual(['broken', 'broken', undefined]);
    await unyankRelease(deps, 'demo', '1.0');
    doc = await readProject(store, 'demo');
    expect(doc!.files.every((f) => f.yanked === undefined)).toBe(true);
    await registry.close();
  });

  it('deletes a release, then a file, then the project with its last file', async () => {
    await expect(deleteRelease(deps, 'demo', '3.0')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await deleteRelease(deps, 'demo', '1.0', 'ops')).map((f) => f.filename)).toEqual(['demo-1.0.tar.gz', 'demo-1.0-py3-none-any.whl']);
    // One delete, one event (issue 14): the release, not each of its files.
    expect(events.filter((e) => e.type === 'ArtifactDeleted').map((e) => [e.artifact.name, e.artifact.reference, e.actor])).toEqual([['demo', '1.0', 'ops']]);
    expect(await listProjects(store)).toEqual(['demo']);
    await deleteFile(deps, 'demo', 'demo-2.0.tar.gz');
    expect(await readProject(store, 'demo')).toBeUndefined();
    expect(await listProjects(store)).toEqual([]);
    await expect(yankRelease(deps, 'demo', '1.0')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
