// Builds every format's service from one options object; called once by the composition root
// (services.ts). Pull-through caches (the upstream kit's users) decorate the OCI and npm
// registries here, so handlers and operator commands share one instance of each service.
import type { NoraConfig } from '../config/schema.js';
import type { ObjectStore } from '../storage/object-store.js';
import type { BlobStore } from '../blobs/blob-store.js';
import type { EventBus } from '../events/bus.js';
import type { Metrics } from '../metrics/metrics.js';
import type { PullTracker } from '../pulls/pull-tracker.js';
import type { UpstreamLog } from '../upstream/log.js';
import { upstreamMetrics } from '../upstream/metrics.js';
import { pullThrough } from '../oci/upstream/pull-through.js';
import { npmPullThrough } from '../npm/upstream/pull-through.js';
import { OciRegistry } from '../oci/registry.js';
import { OciService } from '../oci/oci-service.js';
import { NpmRegistry } from '../npm/npm-registry.js';
import { NpmService } from '../npm/npm-service.js';
import * as maven from '../maven/gc-references.js';
import { CargoService } from '../cargo/cargo-service.js';
import * as pypi from '../pypi/gc-references.js';
import type { FormatService } from './format-service.js';
import { LegacyFormatService } from './legacy-service.js';

export interface FormatDeps {
  config: NoraConfig;
  store: ObjectStore;
  blobs: BlobStore;
  events: EventBus;
  pulls: PullTracker;
  metrics: Metrics;
  log: UpstreamLog;
}

export interface Formats {
  oci: OciService;
  npm: NpmService;
  maven: FormatService;
  cargo: CargoService;
  pypi: FormatService;
}

/** Maven's access name is the repository path form: "org.example:lib" -> "org/example/lib". */
const mavenAccessName = (name: string) => {
  const [group = '', artifact = ''] = name.split(':');
  return `${group.replaceAll('.', '/')}/${artifact}`;
};

export function createFormats(deps: FormatDeps): { formats: Formats; close(): Promise<void> } {
  const { config, store, blobs, events, pulls } = deps;
  const upstreams = pullThrough(config, deps.metrics, deps.log);
  const oci = new OciService(new OciRegistry({ store, blobs, events, uploadTtlMs: config.docker.upload_ttl, decorate: upstreams?.decorate }), events, pulls);
  const npmLocal = new NpmRegistry({ store, blobs, events });
  const npmUpstream = config.npm.enabled ? npmPullThrough({ config: config.npm, store, blobs, metrics: upstreamMetrics(deps.metrics) }) : undefined;
  const npm = new NpmService(npmUpstream ? npmUpstream(npmLocal) : npmLocal, store, pulls);
  const legacy = (format: 'maven' | 'cargo' | 'pypi', refs: LegacyDeps['refs'], list: LegacyDeps['list'], deleteVersion: LegacyDeps['deleteVersion'], accessName = (n: string) => n) =>
    new LegacyFormatService({ format, refs, list, deleteVersion, accessName }, store, events, pulls);
  const formats: Formats = {
    oci,
    npm,
    maven: legacy('maven', maven.referencedBlobs, maven.listVersions, maven.deleteVersion, mavenAccessName),
    cargo: new CargoService({ store, blobs, events, pulls, config: config.cargo, upstreamMetrics: upstreamMetrics(deps.metrics) }),
    pypi: legacy('pypi', pypi.referencedBlobs, pypi.listReleases, pypi.deleteVersion),
  };
  return {
    formats,
    async close() {
      await Promise.all([upstreams?.close(), npm.registry.close(), formats.cargo.close()]);
    },
  };
}

type LegacyDeps = ConstructorParameters<typeof LegacyFormatService>[0];
