// Builds every format's service from one options object; called once by the composition root
// (services.ts). Pull-through caches (the upstream kit's users) decorate each format's registry
// here (cargo's crates.io cache is a registry of its own inside the cargo service), so handlers
// and operator commands share one instance of each service.
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
import { mavenPullThrough } from '../maven/pull-through.js';
import { OciRegistry } from '../oci/registry.js';
import { OciService } from '../oci/oci-service.js';
import { NpmRegistry } from '../npm/npm-registry.js';
import { NpmService } from '../npm/npm-service.js';
import { MavenService } from '../maven/maven-service.js';
import { CargoService } from '../cargo/cargo-service.js';
import { PypiService } from '../pypi/pypi-service.js';

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
  maven: MavenService;
  cargo: CargoService;
  pypi: PypiService;
}

export function createFormats(deps: FormatDeps): { formats: Formats; close(): Promise<void> } {
  const { config, store, blobs, events, pulls } = deps;
  const upstreams = pullThrough(config, deps.metrics, deps.log);
  const oci = new OciService(new OciRegistry({ store, blobs, events, uploadTtlMs: config.docker.upload_ttl, decorate: upstreams?.decorate }), events, pulls);
  const metrics = upstreamMetrics(deps.metrics);
  const npmLocal = new NpmRegistry({ store, blobs, events });
  const npmUpstream = config.npm.enabled ? npmPullThrough({ config: config.npm, store, blobs, metrics }) : undefined;
  const npmCached = config.npm.upstreams[0];
  const npm = new NpmService(npmUpstream ? npmUpstream(npmLocal) : npmLocal, store, pulls,
    npmUpstream && npmCached ? { blobs, events, upstream: npmCached.name || new URL(npmCached.url).host } : undefined);
  const mavenContext = { store, blobs, events, config: config.maven };
  const formats: Formats = {
    oci,
    npm,
    maven: new MavenService(mavenContext, pulls, mavenPullThrough(mavenContext, metrics)),
    cargo: new CargoService({ store, blobs, events, pulls, config: config.cargo, upstreamMetrics: metrics }),
    pypi: new PypiService({ store, blobs, events, pulls, config: config.pypi, upstreamMetrics: metrics }),
  };
  return {
    formats,
    async close() {
      await Promise.all([upstreams?.close(), npm.registry.close(), formats.maven.close(), formats.cargo.close(), formats.pypi.close()]);
    },
  };
}
