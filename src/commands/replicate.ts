import { Command, Flags } from '@oclif/core';
import { configFlags } from './config-flags.js';
import { loadConfigOrExit } from './load-config.js';

export default class Replicate extends Command {
  static override summary = 'Copy OCI images between registries and this store, byte for byte.';
  static override description = `SRC and DST are an OCI registry location (host[:port]/path, https unless written http://..., with * and ** over repository names, :TAG or @DIGEST), a remote NORA given as a URL, or local/PREFIX/ (this store, found as \`serve\` finds it; PREFIX is prepended to each name, and each copy is a normal push with its event and audit line).
Manifests are copied exactly as the source serves them, after their blobs; blobs the destination has are skipped, blobs copied to another repository in the run are mounted, and everything streams. A re-run after an interruption transfers only what is missing.
Credentials: --src-creds/--dst-creds, --src-token/--dst-token, else ~/.docker/config.json (or containers' auth.json) auths for the host, else NORA_TOKEN for a location written as a URL. For ECR use --src-creds AWS:$(aws ecr get-login-password).
Failures are retried with backoff (a 429's Retry-After is honoured) up to --retries attempts and --retry-time; an artifact that still fails is listed in the summary and the exit code is 1.`;

  static override examples = [
    { description: 'Import a project from another registry', command: '<%= config.bin %> replicate --from gcr.io/my-project/* --to local/imported/' },
    { description: 'One tag to a remote NORA', command: 'NORA_TOKEN=... <%= config.bin %> replicate --from local/app:1.4 --to https://nora-dc2.example.com' },
    { description: 'Release tags only, one platform, what would happen', command: '<%= config.bin %> replicate --from quay.io/org/app --to local/ --semver ">=2" --platform linux/arm64 --dry-run' },
    { description: 'Every npm package (versions, dist-tags, deprecations) to a remote NORA', command: 'NORA_TOKEN=... <%= config.bin %> replicate --format npm --from local/ --to https://nora-dc2.example.com' },
    { description: 'The npm packages of a remote NORA that this store lacks, published here', command: '<%= config.bin %> replicate --format npm --from https://nora-dc2.example.com --to local/ --filter "@acme/*"' },
    { description: 'The Maven artifacts of a remote NORA that this store lacks, deployed here (each file checked against the remote\'s .sha1 and .sha256)', command: '<%= config.bin %> replicate --format maven --from https://nora-dc2.example.com --to local/ --filter "org.example:*"' },
    { description: 'Signatures and SBOMs with their images', command: '<%= config.bin %> replicate --from ghcr.io/org/** --to http://127.0.0.1:5000/mirror --referrers --json' },
  ];

  static override flags = {
    ...configFlags,
    from: Flags.string({ description: 'Source: registry location, NORA URL or local/PREFIX/.', required: true, helpValue: 'SRC' }),
    to: Flags.string({ description: 'Destination: registry location, NORA URL or local/PREFIX/.', required: true, helpValue: 'DST' }),
    format: Flags.string({ description: 'What to replicate: OCI images (default), or a package format pushed from local/ to a remote NORA, or pulled from a remote NORA into local/.', options: ['oci', 'npm', 'maven', 'cargo', 'pypi'], default: 'oci' }),
    filter: Flags.string({ description: 'Copy only repositories whose source name matches (glob; repeatable).', multiple: true, helpValue: 'GLOB' }),
    tags: Flags.string({ description: 'Copy only tags matching this glob.', helpValue: 'GLOB' }),
    semver: Flags.string({ description: 'Copy only tags that are semantic versions in this range (a leading "v" allowed).', helpValue: 'RANGE' }),
    since: Flags.string({ description: 'Copy only images created within this duration (image config "created").', helpValue: 'DURATION' }),
    platform: Flags.string({ description: 'From a multi-platform index copy only this image, stored under the tag (default: the whole index).', helpValue: 'OS/ARCH[/VARIANT]' }),
    referrers: Flags.boolean({ description: 'Also copy the manifests that refer to each image (signatures, SBOMs, attestations; referrers API).' }),
    'src-creds': Flags.string({ description: 'user:password for the source.', helpValue: 'USER:PASS' }),
    'dst-creds': Flags.string({ description: 'user:password for the destination.', helpValue: 'USER:PASS' }),
    'src-token': Flags.string({ description: 'Bearer token for the source (a NORA API token).', helpValue: 'TOKEN' }),
    'dst-token': Flags.string({ description: 'Bearer token for the destination (a NORA API token).', helpValue: 'TOKEN' }),
    concurrency: Flags.integer({ description: 'Artifacts copied at once, and blobs streaming at once.', default: 3, min: 1, max: 64 }),
    retries: Flags.integer({ description: 'Most attempts of each step (manifest, blob).', default: 5, min: 1, max: 100 }),
    'retry-time': Flags.string({ description: 'Most time one step may spend retrying.', default: '10m', helpValue: 'DURATION' }),
    timeout: Flags.string({ description: 'Time a registry may take to answer, or between body chunks.', default: '60s', helpValue: 'DURATION' }),
    'dry-run': Flags.boolean({ description: 'Print what would be copied and skipped, with sizes; write nothing.' }),
    json: Flags.boolean({ description: 'One JSON line per event and the summary (also when stdout is not a terminal).' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Replicate);
    const { runReplicate } = await import('../lib/ops/replicate/run.js');
    const { createReplicateOutput } = await import('./replicate-output.js');
    const local = /^local(\/|$)/.test(flags.from) || /^local(\/|$)/.test(flags.to);
    const config = local ? (await loadConfigOrExit(this, flags)).config : undefined;
    const output = await createReplicateOutput({ json: flags.json, dryRun: flags['dry-run'] });
    let summary;
    try {
      summary = await runReplicate({ ...flags, dryRun: flags['dry-run'], srcCreds: flags['src-creds'], dstCreds: flags['dst-creds'], srcToken: flags['src-token'], dstToken: flags['dst-token'], retryTime: flags['retry-time'], config, emit: (e) => output.event(e) });
    } catch (error) {
      output.stop();
      process.stderr.write(`nora replicate: ${(error as Error).message}\n`);
      const status = (error as { status?: number }).status;
      return this.exit(status === 400 ? 2 : 1);
    }
    output.summary(summary);
    if (summary.failed > 0) this.exit(1);
  }
}
