// The Maven repository with a pull-through cache in front of it: coordinates deployed here are
// answered by the repository alone; any others from the upstreams, tried in order, their files
// stored as verified blobs on first download (upstream-files.ts) and their maven-metadata.xml
// cached and merged (upstream-metadata.ts), upstream 404s remembered for negative_ttl.
import type { ChecksumAlgorithm } from './coordinates.js';
import type { MavenContext } from './context.js';
import type { FileTarget } from './deploy.js';
import { NegativeCache } from './negative-cache.js';
import { checksumOf, found, metadataResource, type Lookup, type MavenApi, type ResolvablePath, type Resource } from './repository.js';
import { MavenUpstreams } from './upstream-client.js';
import { UpstreamFiles } from './upstream-files.js';
import { UpstreamMetadata } from './upstream-metadata.js';
import type { UpstreamMetrics } from '../upstream/metrics.js';

/** The decorator for [[maven.upstreams]], or undefined when there are none. */
export function mavenPullThrough(ctx: MavenContext, metrics?: UpstreamMetrics): ((local: MavenApi) => MavenApi) | undefined {
  if (ctx.config.upstreams.length === 0) return undefined;
  return (local) => new MavenPullThrough(local, ctx, new MavenUpstreams(ctx.config.upstreams, metrics));
}

export class MavenPullThrough implements MavenApi {
  private readonly files: UpstreamFiles;
  private readonly metadata: UpstreamMetadata;

  constructor(private readonly inner: MavenApi, ctx: MavenContext, private readonly upstreams: MavenUpstreams) {
    const negative = new NegativeCache(ctx.config.negative_ttl);
    this.files = new UpstreamFiles(ctx, upstreams, negative);
    // Metadata merges every upstream's answer: it is as fresh as the most eager of them wants.
    this.metadata = new UpstreamMetadata(ctx, upstreams, negative, Math.min(...ctx.config.upstreams.map((u) => u.metadata_ttl)));
  }

  async resolve(path: ResolvablePath, display: string): Promise<Resource> {
    return found(await this.lookup(path), display);
  }

  async lookup(path: ResolvablePath): Promise<Lookup> {
    const here = await this.inner.lookup(path);
    if (here.local || here.resource) return here;
    const resource = path.kind === 'file' ? await this.file(path, path.checksum) : await this.metadataOf(path.dir, path.checksum);
    return { local: false, resource };
  }

  private async file(target: FileTarget, checksum: ChecksumAlgorithm | undefined): Promise<Resource | undefined> {
    if (checksum) {
      const file = await this.files.ensure(target);
      return file && checksumOf(file, checksum);
    }
    const opened = await this.files.open(target);
    if (!opened) return undefined;
    return opened.kind === 'cached' ? { kind: 'blob', file: opened.file, source: 'cache' } : { kind: 'stream', body: opened.body, ...(opened.size === undefined ? {} : { size: opened.size }) };
  }

  private async metadataOf(dir: string[], checksum: ChecksumAlgorithm | undefined): Promise<Resource | undefined> {
    const metadata = await this.metadata.get(dir);
    return metadata && metadataResource(metadata, checksum);
  }

  async close(): Promise<void> {
    await this.upstreams.close();
    await this.inner.close();
  }
}
