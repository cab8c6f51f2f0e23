// Every configuration key NORA knows: type, default and the doc line the README's table is
// checked against (test/unit/config-docs.test.ts). Later features add their section here.
// Keys are snake_case; each scalar key can also be set by NORA_<SECTION>_<KEY> (see env.ts).
import { isIP } from 'node:net';
import { boolean, duration, integer, list, moved, oneOf, ratio, size, string, strings, table, type Infer } from './field.js';
import { oldUrlCheck, oldUrlsCheck, upstreamFields, URLS } from './upstream-fields.js';
import { matchProblem, webhookFields } from './webhook-fields.js';
import { checkIssuer, checkPermissions } from '../auth/permission-syntax.js';
import { retentionSchema } from './retention-fields.js';
import { quotaFields, tenantFields } from '../tenants/tenant-fields.js';
import { loadSemver } from './load-semver.js';

export const schema = {
  server: {
    host: string('127.0.0.1', { doc: 'Address to listen on; 0.0.0.0 for every interface.' }),
    port: integer(4000, { doc: 'TCP port to listen on; 0 picks a free port.', min: 0, max: 65535 }),
    public_url: string('', {
      doc: 'Base URL clients reach NORA at (e.g. https://nora.example.com), used in URLs NORA writes into responses; empty derives it from each request.',
      check: (v) => (v === '' || /^https?:\/\/[^/\s]+(\/[^\s]*)?$/.test(v) ? undefined : `expected an http(s) URL such as "https://nora.example.com", got "${v}"`),
    }),
    trusted_proxies: strings([], {
      doc: 'Proxy addresses or CIDRs whose X-Forwarded-For/-Proto/-Host headers are believed; empty believes none.',
      check: (list) => {
        const bad = list.find((x) => !isIP(x.split('/')[0]!) || !/^[^/]+(\/\d{1,3})?$/.test(x));
        return bad === undefined ? undefined : `not an IP address or CIDR: "${bad}"`;
      },
    }),
    shutdown_timeout: duration('30s', { doc: 'On SIGTERM/SIGINT, how long in-flight requests may take to finish before connections are closed.' }),
    body_limit: size('200MiB', { doc: 'Largest request body any endpoint buffers (streamed uploads have their own limits).' }),
    json_body_limit: size('1MiB', { doc: 'Largest JSON or text request body parsed into memory (logins, tokens, dist-tags, API calls); parsing multiplies it on the heap, so keep it small. At most body_limit.' }),
    keep_alive_timeout: duration('65s', { doc: 'Idle keep-alive timeout for client connections (longer than common load balancers).' }),
    tls: {
      cert_file: string('', { doc: 'PEM certificate chain (leaf first) to serve HTTPS with; empty serves plain HTTP. Reloaded on SIGHUP and when the file changes.' }),
      key_file: string('', { doc: 'PEM private key for server.tls.cert_file; set both or neither.' }),
      reload_interval: duration('1m', { doc: 'How often the certificate and key files are checked for changes (a renewed certificate is served without a restart).' }),
    },
  },
  storage: {
    backend: oneOf(['fs', 's3', 'memory'] as const, 'fs', { doc: 'Where artifacts live: "fs" (a local directory), "s3" (a bucket), or "memory" (lost on exit; for tests).' }),
    data_dir: string('./data', { doc: 'Local directory: the fs store\'s root, and where local-only files (logs, temp) are kept.', check: (v) => (v.trim() === '' ? 'must not be empty' : undefined) }),
    temp_ttl: duration('24h', { doc: 'Unfinished temporary objects older than this are removed by cleanup.' }),
    s3: {
      bucket: string('', { doc: 'Bucket name (required when backend = "s3").' }),
      region: string('us-east-1', { doc: 'Bucket region.' }),
      endpoint: string('', { doc: 'Endpoint URL for S3-compatible services (MinIO, Ceph, R2); empty uses AWS.' }),
      prefix: string('', { doc: 'Key prefix inside the bucket, so one bucket can hold several registries.', check: (v) => (v.startsWith('/') || v.includes('..') ? 'must be relative and must not contain ".."' : undefined) }),
      path_style: boolean(false, { doc: 'Address the bucket as endpoint/bucket instead of bucket.endpoint (MinIO and most self-hosted services need true).' }),
      access_key_id: string('', { doc: 'Access key; empty uses the standard AWS credential chain (env, profile, instance role).' }),
      secret_access_key: string('', { doc: 'Secret key for access_key_id.', secret: true }),
      redirect: boolean(false, { doc: 'Answer OCI blob downloads with a 307 redirect to a presigned URL of the bucket, so layer bytes bypass NORA (clients must reach storage.s3.endpoint).' }),
      redirect_ttl: duration('5m', { doc: 'How long a presigned blob download URL stays valid.' }),
      unsafe_no_conditional_writes: boolean(false, { doc: 'Start even when the bucket ignores conditional writes (the start-up probe fails). Safe for ONE server only: several servers on such a bucket lose concurrent writes.' }),
      part_size: size('16MiB', { doc: 'Multipart upload part size for streams of unknown length.', check: (v) => (v < 5 * 1024 * 1024 ? 'must be at least 5MiB (the S3 minimum part size)' : undefined) }),
    },
  },
  docker: {
    delete_enabled: boolean(true, { doc: 'Allow DELETE of OCI manifests, tags and blobs; false answers them with UNSUPPORTED.' }),
    manifest_max_size: size('4MiB', { doc: 'Largest manifest (image, index, list) accepted by PUT; larger ones get SIZE_INVALID.' }),
    upload_ttl: duration('24h', { doc: 'Blob upload sessions untouched for this long are expired and their chunks removed.' }),
    chunk_min_length: size('1MiB', { doc: 'Smallest chunk size advertised to clients in OCI-Chunk-Min-Length for chunked uploads.' }),
    upstreams: list({
      ...upstreamFields({ metadataTtl: '5m', maxConcurrency: 8, url: URLS.origin('https://registry-1.docker.io') }),
      default: boolean(false, { doc: 'Serve unprefixed names that are not local from this upstream ("nginx" -> "library/nginx"); at most one upstream.' }),
      prefix: string('', { doc: 'Names starting with this prefix are served from this upstream without it (e.g. "ghcr.io/" maps ghcr.io/org/img to org/img).', check: (v) => (v === '' || /^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*\/$/.test(v) ? undefined : `expected a lowercase name prefix ending in "/" such as "ghcr.io/", got "${v}"`) }),
      allow_push: boolean(false, { doc: 'Allow pushing to names served from this upstream (refused with DENIED otherwise).' }),
      tag_ttl: moved(duration('5m', { doc: '' }), 'metadata_ttl'),
    }, 'Registries served through NORA as a pull-through cache; a cached tag is revalidated with a HEAD request (which Docker Hub does not count as a pull).'),
  },
  npm: {
    enabled: boolean(true, { doc: 'Serve the npm registry at /npm/.' }),
    upstreams: list(upstreamFields({ metadataTtl: '5m', maxConcurrency: 16, url: URLS.http('https://registry.npmjs.org') }),
      'Registry whose packages NORA proxies and caches for names not published locally (the first upstream; packuments are revalidated with their ETag); empty disables the upstream cache.',
      { defaults: [{ url: 'https://registry.npmjs.org' }], identity: 'url' }),
    upstream: moved(string('', { doc: '', check: oldUrlCheck(URLS.http('').pattern) }), 'upstreams[].url'),
    metadata_ttl: moved(duration('5m', { doc: '' }), 'upstreams[].metadata_ttl'),
    upstream_timeout: moved(duration('30s', { doc: '' }), 'upstreams[].timeout'),
    max_body: size('200MiB', { doc: 'Largest npm publish request body (JSON with the base64 tarball).' }),
    max_metadata: size('16MiB', { doc: 'Largest JSON part of an npm publish or packument edit (everything but the base64 tarball); it is held in memory and parsed.' }),
    allow_shadowing: boolean(false, { doc: 'Allow publishing a name that exists only on the upstream (otherwise 403: dependency-confusion protection).' }),
  },
  log: {
    level: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info', { doc: 'Log level of the log on standard output; SIGHUP applies a changed level from the config file without a restart.' }),
    format: oneOf(['auto', 'pretty', 'json'] as const, 'auto', { doc: 'Log lines on standard output: "pretty" (readable lines, level in colour), "json" (one JSON object per line, for log shippers), or "auto" (pretty on a terminal, JSON otherwise).' }),
  },
  metrics: {
    enabled: boolean(true, { doc: 'Serve Prometheus metrics at /metrics.' }),
    public: boolean(true, { doc: 'Anyone may read /metrics; false (with access control on) requires a user or token holding "metrics:*" or an admin permission.' }),
    max_series: integer(500, { doc: 'Most repositories (FORMAT:NAME) that get their own series in the per-repository push/pull metrics; the first ones seen keep theirs, later ones count under repository="other".', min: 0, max: 100_000 }),
    repositories: strings([], {
      doc: 'Globs over FORMAT:NAME that get per-repository series, e.g. ["oci:prod/**", "npm:@acme/*"]; others count under "other". Empty: every name, up to max_series.',
      check: (list) => list.map(matchProblem).find((p) => p !== undefined),
    }),
  },
  tracing: {
    endpoint: string('', {
      doc: 'OTLP/HTTP collector base URL (spans go to ENDPOINT/v1/traces as OTLP JSON); empty turns tracing off.',
      check: (v) => (v === '' || /^https?:\/\/[^/\s]+(\/[^\s]*)?$/.test(v) ? undefined : `expected an http(s) URL such as "http://otel-collector:4318", got "${v}"`),
    }),
    service_name: string('nora', { doc: 'service.name resource attribute of every span.', check: (v) => (v.trim() === '' ? 'must not be empty' : undefined) }),
    sample_ratio: ratio(1, { doc: 'Share of traces recorded (0 to 1), decided per trace from its id; a request whose traceparent says "sampled" is always recorded.' }),
  },
  maven: {
    upstreams: list(upstreamFields({ metadataTtl: '5m', maxConcurrency: 16, url: URLS.http('https://repo.maven.apache.org/maven2') }),
      'Maven repositories proxied and cached under /maven2/ for coordinates not deployed locally, tried in order; empty disables the cache.',
      { defaults: [{ url: 'https://repo.maven.apache.org/maven2' }], identity: 'url' }),
    upstream: moved(strings([], { doc: '', check: oldUrlsCheck }), 'upstreams[].url'),
    metadata_ttl: moved(duration('5m', { doc: '' }), 'upstreams[].metadata_ttl'),
    negative_ttl: duration('1m', { doc: 'How long an upstream "not found" is remembered before the upstreams are asked again.' }),
    upstream_timeout: moved(duration('30s', { doc: '' }), 'upstreams[].timeout'),
    allow_redeploy: boolean(false, { doc: 'Allow deploying a release version\'s files again (SNAPSHOTs can always be redeployed).' }),
    max_file_size: size('1GiB', { doc: 'Largest single file accepted by a Maven deploy.' }),
  },
  pypi: {
    upstreams: list(upstreamFields({ metadataTtl: '10m', maxConcurrency: 16, url: URLS.http('https://pypi.org/simple/') }),
      'Simple indexes cached for projects not published here, tried in order; empty caches nothing.', { identity: 'url' }),
    upstream: moved(strings([], { doc: '', check: oldUrlsCheck }), 'upstreams[].url'),
    metadata_ttl: moved(duration('10m', { doc: '' }), 'upstreams[].metadata_ttl'),
    upstream_timeout: moved(duration('30s', { doc: '' }), 'upstreams[].timeout'),
    merge_upstream: boolean(false, { doc: 'Also list upstream files for projects published here; off protects against dependency confusion.' }),
    max_upload_size: size('1GiB', { doc: 'Largest distribution file twine may upload.' }),
  },
  cargo: {
    auth_required: boolean(false, { doc: 'Write "auth-required": true into the Cargo index config.json, so cargo sends its token on every request (for a private registry).' }),
    max_crate_size: size('10MiB', { doc: 'Largest .crate file `cargo publish` may upload.' }),
    max_metadata_size: size('1MiB', { doc: 'Largest JSON metadata part of a `cargo publish` request.' }),
    upstreams: list({
      ...upstreamFields({ metadataTtl: '5m', maxConcurrency: 16, url: URLS.sparse('sparse+https://index.crates.io/') }),
      dl: string('', {
        doc: 'Download URL template of the upstream registry ({crate}, {version}, {prefix}, {lowerprefix}, {sha256-checksum} markers, else /{crate}/{version}/download is appended); empty reads `dl` from the upstream config.json.',
        check: (v) => (v === '' || /^https?:\/\/[^/\s]+/.test(v) ? undefined : `expected an http(s) URL, got "${v}"`),
      }),
    }, 'The sparse index served through NORA at /cargo/crates-io/index/ (for `[source.crates-io] replace-with`), at most one; empty disables the crates.io cache.',
    { defaults: [{ url: 'sparse+https://index.crates.io/', dl: 'https://static.crates.io/crates/{crate}/{crate}-{version}.crate' }], identity: 'url' }),
    upstream_index: moved(string('', { doc: '', check: oldUrlCheck(/^sparse\+https?:\/\/[^/\s]+(\/[^\s]*)?$/) }), 'upstreams[].url'),
    upstream_dl: moved(string('', { doc: '', check: oldUrlCheck(URLS.http('').pattern) }), 'upstreams[].dl'),
    upstream_ttl: moved(duration('5m', { doc: '' }), 'upstreams[].metadata_ttl'),
    upstream_timeout: moved(duration('30s', { doc: '' }), 'upstreams[].timeout'),
  },
  auth: {
    enabled: boolean(false, { doc: 'Enforce access control; false lets everyone do everything (no credentials asked).' }),
    htpasswd_file: string('', { doc: 'htpasswd file of users (bcrypt hashes only); reloaded when it changes and on SIGHUP. `nora users add` writes it.' }),
    groups: table<string[]>('strings', { doc: 'Groups of users, e.g. `[auth.groups] team-frontend = ["alice", "bob"]`; a rule\'s subject may name a group.' }),
    anonymous: strings([], { doc: 'Permissions of callers without credentials, e.g. ["pull:*"]; empty denies them everything.', check: checkPermissions }),
    token_ttl: duration('90d', { doc: 'Default lifetime of API tokens created without an explicit expiry (0 = never expire).' }),
    registry_token_ttl: duration('5m', { doc: 'Lifetime of the OCI Bearer tokens (JWT) issued by /auth/token.' }),
    rules: list({
      subject: string('', { doc: 'A user, a group, "anonymous", or "*" for any authenticated caller.' }),
      permissions: strings([], { doc: 'ACTION:GLOB or ACTION:FORMAT:GLOB, e.g. "push:frontend/*", "pull:npm:@acme/**".', check: checkPermissions }),
    }, 'Access rules; permissions are the union of every rule whose subject matches.'),
    oidc: {
      exchange_ttl: duration('15m', { doc: 'Lifetime of the NORA token given for a CI OIDC token.' }),
      providers: list({
        name: string('', { doc: 'Provider name shown in errors and audit lines (e.g. "github").' }),
        issuer: string('', { doc: 'Issuer URL (https://, or http:// on a loopback address); discovery reads <issuer>/.well-known/openid-configuration.', check: checkIssuer }),
        audience: string('', { doc: 'Required `aud` claim of the ID token.' }),
        rules: list({
          match: table<string>('string', { doc: 'Claim globs, all of which must match, e.g. { repository = "acme/*", ref = "refs/heads/main" }.' }),
          permissions: strings([], { doc: 'Permissions granted when the claims match.', check: checkPermissions }),
        }, 'Claim rules of this provider; permissions are the union of matching rules.'),
      }, 'OIDC issuers whose ID tokens POST /auth/oidc/token exchanges for NORA tokens.'),
    },
  },
  rate_limit: {
    auth_rps: integer(1, { doc: 'Failed logins forgiven per second in each throttling bucket (per address, per user name and address).', min: 0 }),
    auth_burst: integer(10, { doc: 'Failed logins of one user name from one client address in a burst before 429 Too Many Requests.', min: 1 }),
    address_burst: integer(100, { doc: 'Failed logins and OIDC exchanges of one client address (an IPv6 client by its /64), whatever the user name, in a burst before 429.', min: 1 }),
    lockout: oneOf(['user_address', 'user'] as const, 'user_address', {
      doc: 'Who failed logins lock out: "user_address" throttles a user name only at the addresses that failed, so nobody elsewhere can lock its owner out; "user" also throttles the user name from every address (stops guessing spread over many addresses, but anyone can lock a user out).',
    }),
  },
  audit: {
    path: string('', { doc: 'Audit log file (JSON lines, one per mutation and login); empty means <storage.data_dir>/audit.log.' }),
  },
  tenants: list(tenantFields, 'Tenants: each owns namespaces, with a storage quota, hourly push/pull limits and members; content outside every tenant has no quota.'),
  quota: quotaFields,
  gc: {
    grace: duration('1h', { doc: 'Garbage collection deletes an unreferenced blob only when it is older than this, so pushes in flight keep their blobs.' }),
    upload_ttl: duration('24h', { doc: 'Garbage collection removes upload sessions and temporary objects untouched for this long.' }),
    schedule: string('', {
      doc: 'Cron expression (5 or 6 fields, e.g. "0 3 * * *") on which `nora serve` runs garbage collection; empty never schedules it.',
      check: (v) => (v === '' || /^\S+(\s+\S+){4,5}$/.test(v.trim()) ? undefined : `expected a cron expression with 5 or 6 fields such as "0 3 * * *", got "${v}"`),
    }),
  },
  webhooks: list(webhookFields, 'Receivers of events (push, delete, tag, ...) selected by event and FORMAT:NAME globs; deliveries are queued in the store and retried until acknowledged with a 2xx.'),
  retention: retentionSchema,
  replication: list({
    name: string('', { doc: 'Rule name, unique: in status, metrics, logs and the queue it keeps in the store.', check: (v) => (v === '' || /^[a-z0-9][a-z0-9_-]{0,62}$/.test(v) ? undefined : `expected a short lowercase name such as "dc2", got "${v}"`) }),
    direction: oneOf(['push', 'pull'] as const, 'push', { doc: '"push" copies images of this store to the remote; "pull" copies the remote\'s images (through its catalog) and packages (names through /api/artifacts, bytes through each format\'s own protocol) into this store (needs trigger = "schedule").' }),
    trigger: oneOf(['event', 'schedule'] as const, 'event', { doc: '"event" replicates each push or deletion as it happens (push only); "schedule" runs a full pass on the cron schedule, skipping what the destination has.' }),
    schedule: string('', {
      doc: 'Cron expression (5 or 6 fields) of a trigger = "schedule" rule; one server of those sharing the store runs each pass.',
      check: (v) => (v === '' || /^\S+(\s+\S+){4,5}$/.test(v.trim()) ? undefined : `expected a cron expression with 5 or 6 fields such as "*/15 * * * *", got "${v}"`),
    }),
    remote: string('', { doc: 'The OCI registry or NORA replicated to or from (e.g. https://nora-dc2.example.com).', check: (v) => (v === '' || /^https?:\/\/[^/\s]+\/?$/.test(v) ? undefined : `expected an http(s) URL without a path such as "https://nora-dc2.example.com", got "${v}"`) }),
    username: string('', { doc: 'User for the remote (answers its Basic or token challenge); empty with token_env sends the token, else anonymous.' }),
    password_file: string('', { doc: 'File whose first line is the remote password.' }),
    password_env: string('', { doc: 'Environment variable holding the remote password.' }),
    token_env: string('', { doc: 'Environment variable holding a token sent as Bearer (a NORA API token of the remote).' }),
    filter: strings([], { doc: 'Repository globs (* within a segment, ** across); empty replicates every repository.' }),
    formats: strings(['oci'], {
      doc: 'Formats the rule replicates: "oci", and on push to a remote NORA "npm", "maven", "cargo", "pypi" (each through its own protocol, with tags, yanks and deprecations); a pull rule copies every one of them from a remote NORA (each missing version published here through the format\'s own publish path, verified against the remote\'s checksums, with dist-tags, deprecations and yanks).',
      check: (v) => {
        const bad = v.find((f) => !['oci', 'npm', 'maven', 'cargo', 'pypi'].includes(f));
        if (bad !== undefined) return `expected formats among "oci", "npm", "maven", "cargo", "pypi", got "${bad}"`;
        return v.length === 0 ? 'expected at least one format' : undefined;
      },
    }),
    tags: string('', { doc: 'Tag glob (package formats: version glob); empty replicates every tag.' }),
    semver: string('', {
      doc: 'Semver range (e.g. ">=1.2 <2"): only OCI tags and package versions that are semantic versions in it (a leading "v" allowed); empty keeps all.',
      check: (v) => (v === '' || loadSemver().validRange(v) !== null ? undefined : `expected a semver range such as "^1.4" or ">=1.2 <2", got "${v}"`),
    }),
    dest_prefix: string('', { doc: 'Prepended to each OCI repository name at the destination (e.g. "dc1/"); package names are kept.', check: (v) => (v === '' || /^[a-z0-9]+(?:[._/-][a-z0-9]+)*\/$/.test(v) ? undefined : `expected a lowercase repository path ending in "/", got "${v}"`) }),
    delete: boolean(false, { doc: 'Also delete at the remote what is deleted here (trigger = "event"): an OCI tag, a package version (npm, Maven, Cargo, a PyPI release), a whole package (npm unpublish of the package); never an upstream cache\'s eviction.' }),
  }, 'Replication rules run by `nora serve` (OCI images, and npm, Maven, Cargo and PyPI packages pushed to a remote NORA): on events (each push of a matching tag, and with delete each tag deletion, queued durably in the store and retried with backoff) or on a schedule (a full pass, pushed or pulled).'),
};

export type NoraConfig = Infer<typeof schema>;
