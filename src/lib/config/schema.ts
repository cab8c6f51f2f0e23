// Every configuration key NORA knows: type, default and the doc line the README's table is
// checked against (test/unit/config-docs.test.ts). Later features add their section here.
// Keys are snake_case; each scalar key can also be set by NORA_<SECTION>_<KEY> (see env.ts).
import { isIP } from 'node:net';
import { boolean, duration, integer, oneOf, size, string, strings, type Infer } from './field.js';

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
    keep_alive_timeout: duration('65s', { doc: 'Idle keep-alive timeout for client connections (longer than common load balancers).' }),
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
      part_size: size('16MiB', { doc: 'Multipart upload part size for streams of unknown length.', check: (v) => (v < 5 * 1024 * 1024 ? 'must be at least 5MiB (the S3 minimum part size)' : undefined) }),
    },
  },
  log: {
    level: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info', { doc: 'Log level of the JSON log on standard output.' }),
  },
  metrics: {
    enabled: boolean(true, { doc: 'Serve Prometheus metrics at /metrics.' }),
  },
  cargo: {
    auth_required: boolean(false, { doc: 'Write "auth-required": true into the Cargo index config.json, so cargo sends its token on every request (for a private registry).' }),
    max_crate_size: size('10MiB', { doc: 'Largest .crate file `cargo publish` may upload.' }),
    max_metadata_size: size('1MiB', { doc: 'Largest JSON metadata part of a `cargo publish` request.' }),
    upstream_index: string('sparse+https://index.crates.io/', {
      doc: 'Sparse index served through NORA at /cargo/crates-io/index/ (for `[source.crates-io] replace-with`); empty disables the crates.io cache.',
      check: (v) => (v === '' || /^sparse\+https?:\/\/[^/\s]+(\/[^\s]*)?$/.test(v) ? undefined : `expected "sparse+http(s)://host/path/", got "${v}"`),
    }),
    upstream_dl: string('https://static.crates.io/crates/{crate}/{crate}-{version}.crate', {
      doc: 'Download URL template of the upstream registry ({crate}, {version}, {prefix}, {lowerprefix}, {sha256-checksum} markers, else /{crate}/{version}/download is appended); empty reads `dl` from the upstream config.json.',
      check: (v) => (v === '' || /^https?:\/\/[^/\s]+/.test(v) ? undefined : `expected an http(s) URL, got "${v}"`),
    }),
    upstream_ttl: duration('5m', { doc: 'How long a cached upstream index file is served before NORA revalidates it with the upstream (a stale copy is served while the upstream is down).' }),
    upstream_timeout: duration('30s', { doc: 'Time allowed for an upstream index or .crate request to answer.' }),
  },
};

export type NoraConfig = Infer<typeof schema>;
