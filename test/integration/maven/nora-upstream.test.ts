// Two real NORA processes: one holds a deployed artifact, the other has it as its upstream
// (standing in for Maven Central). Files are cached and verified against the upstream's
// computed .sha1/.sha256, metadata is proxied, and the cache keeps serving once the upstream is gone.
import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { startNora, type NoraServer } from '../../helpers/nora-process.js';

const servers: NoraServer[] = [];
afterAll(async () => { await Promise.all(servers.map((s) => s.stop())); });

describe('NORA as the upstream of NORA', () => {
  it('caches files and metadata from the upstream and serves them after it stops', async () => {
    const central = await startNora({ env: { NORA_MAVEN_UPSTREAM: '' } });
    servers.push(central);
    const jar = Buffer.alloc(300_000, 3);
    const path = 'org/central/core/2.1/core-2.1.jar';
    expect((await fetch(`${central.url}/maven2/${path}`, { method: 'PUT', body: jar })).status).toBe(201);

    const edge = await startNora({ env: { NORA_MAVEN_UPSTREAM: `${central.url}/maven2`, NORA_MAVEN_METADATA_TTL: '1h' } });
    servers.push(edge);
    const first = await fetch(`${edge.url}/maven2/${path}`);
    expect(first.status).toBe(200);
    expect(Buffer.from(await first.arrayBuffer()).equals(jar)).toBe(true);
    const metadata = await (await fetch(`${edge.url}/maven2/org/central/core/maven-metadata.xml`)).text();
    expect(metadata).toContain('<release>2.1</release>');

    await central.stop();
    const cached = await fetch(`${edge.url}/maven2/${path}`);
    expect(cached.headers.get('etag')).toBe(`"${createHash('sha1').update(jar).digest('hex')}"`);
    expect(Buffer.from(await cached.arrayBuffer()).equals(jar)).toBe(true);
    expect(await (await fetch(`${edge.url}/maven2/org/central/core/maven-metadata.xml`)).text()).toBe(metadata);
    expect((await fetch(`${edge.url}/maven2/org/central/core/9.9/core-9.9.jar`)).status).toBe(502);
  });
});
