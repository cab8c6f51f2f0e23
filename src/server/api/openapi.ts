// The OpenAPI 3.1 description of the management API, served at /api/openapi.json. Kept true by
// test/http/api/openapi-routes.test.ts: every /api route is here and nothing else, with the same
// path parameters, and the status a minimal request gets is one documented here. Answers use
// snake_case keys (the api plugin's serializer hook), as the schemas below say.
const error = { description: 'NORA error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
const adminOnly = [{ bearer: [] }];

export const OPENAPI = {
  openapi: '3.1.0',
  info: { title: 'NORA management API', version: '1', description: 'Used by `nora images ls`, `nora tag`, `nora delete` and the UI. Listings need pull access, changes need admin.' },
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    schemas: {
      Error: { type: 'object', properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } }, required: ['code', 'message'] } } },
      Artifact: {
        type: 'object',
        required: ['type', 'name', 'version', 'digest', 'size', 'pushed'],
        properties: {
          type: { enum: ['oci', 'npm', 'maven', 'cargo', 'pypi'] },
          name: { type: 'string', description: 'Repository, package, "groupId:artifactId", crate or project.' },
          version: { type: 'string', description: 'Tag (OCI) or version.' },
          digest: { type: 'string' },
          size: { type: 'integer', description: 'What a pull downloads: an image is config + layers; an index sums its platforms\' distinct blobs.' },
          pushed: { type: 'string', format: 'date-time' },
          pulls: { type: 'integer', description: 'With ?pulls=true: pulls counted since tracking began (written in batches).' },
          last_pulled: { type: 'string', format: 'date-time' },
          tags: { type: 'array', items: { type: 'string' }, description: 'npm dist-tags naming this version.' },
          platforms: { type: 'array', items: { type: 'object', properties: { platform: { type: 'string' }, digest: { type: 'string' }, size: { type: 'integer' } } } },
        },
      },
      Delivery: {
        type: 'object',
        required: ['id', 'hook', 'event', 'state', 'attempts', 'max_attempts', 'enqueued_at'],
        properties: {
          id: { type: 'string', description: 'The delivery id, also sent as X-Nora-Delivery and in the body: receivers de-duplicate on it.' },
          hook: { type: 'string' },
          event: { type: 'string', examples: ['push', 'tag', 'delete'] },
          artifact: { type: 'object', properties: { format: { type: 'string' }, name: { type: 'string' }, reference: { type: 'string' }, digest: { type: 'string' } } },
          state: { enum: ['pending', 'claimed', 'done', 'dead'] },
          attempts: { type: 'integer' },
          max_attempts: { type: 'integer' },
          enqueued_at: { type: 'string', format: 'date-time' },
          next_attempt_at: { type: 'string', format: 'date-time' },
          finished_at: { type: 'string', format: 'date-time' },
          last_status: { type: 'integer', description: 'HTTP status of the last attempt (absent when the receiver did not answer).' },
          last_duration_ms: { type: 'integer' },
          last_attempt_at: { type: 'string', format: 'date-time' },
          last_error: { type: 'string' },
        },
      },
      Window: { type: 'object', properties: { hour: { type: 'integer' }, day: { type: 'integer' } } },
      Usage: {
        type: 'object',
        required: ['tenant', 'used', 'quota', 'percent', 'artifacts', 'largest', 'pushes', 'pulls', 'bytes_in', 'bytes_out'],
        properties: {
          tenant: { type: 'string' },
          used: { type: 'integer', description: 'Bytes of the distinct blobs the tenant\'s artifacts reference (shared by every server on the store).' },
          quota: { type: 'integer', description: '0: no quota.' },
          percent: { type: ['number', 'null'] },
          held: { type: 'integer', description: 'Bytes held by pushes in flight.' },
          namespaces: { type: 'array', items: { type: 'string' } },
          artifacts: { type: 'object', additionalProperties: { type: 'object', properties: { names: { type: 'integer' }, versions: { type: 'integer' } } } },
          largest: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, bytes: { type: 'integer' }, versions: { type: 'integer' } } } },
          rate_limit: { type: 'object', properties: { push: { type: 'integer' }, pull: { type: 'integer' } } },
          pushes: { $ref: '#/components/schemas/Window' }, pulls: { $ref: '#/components/schemas/Window' },
          bytes_in: { $ref: '#/components/schemas/Window' }, bytes_out: { $ref: '#/components/schemas/Window' },
          updated: { type: 'string', format: 'date-time' },
        },
      },
      GcReport: { type: 'object', properties: { phase: { enum: ['idle', 'uploads', 'links', 'mark', 'sweep', 'done', 'failed'] }, dry_run: { type: 'boolean' }, started_at: { type: 'string', format: 'date-time' }, finished_at: { type: 'string', format: 'date-time' }, scanned: { type: 'integer' }, marked: { type: 'integer' }, candidates: { type: 'integer' }, blobs_freed: { type: 'integer' }, bytes_freed: { type: 'integer' }, duration_ms: { type: 'integer' } } },
      RetentionReport: {
        type: 'object',
        properties: {
          phase: { enum: ['idle', 'plan', 'delete', 'done', 'failed'] }, dry_run: { type: 'boolean' }, started_at: { type: 'string', format: 'date-time' }, finished_at: { type: 'string', format: 'date-time' },
          names: { type: 'integer' }, considered: { type: 'integer' }, kept: { type: 'integer' },
          decisions: { type: 'array', items: { type: 'object', properties: { format: { type: 'string' }, name: { type: 'string' }, kind: { enum: ['tag', 'manifest', 'version', 'build'] }, reference: { type: 'string' }, build: { type: 'string' }, action: { enum: ['delete', 'yank'] }, rule: { type: 'integer' }, match: { type: 'string' }, reason: { type: 'string' }, bytes: { type: 'integer' } } } },
          bytes: { type: 'integer' }, deleted: { type: 'integer' }, skipped: { type: 'array' }, failed: { type: 'array' }, cache: { type: 'object' }, duration_ms: { type: 'integer' }, error: { type: 'string' },
        },
      },
      Token: {
        type: 'object',
        required: ['id', 'name', 'owner', 'permissions', 'created', 'expires', 'last_used'],
        properties: {
          id: { type: 'string', description: 'First 12 hex characters of the token\'s hash.' }, name: { type: 'string' }, owner: { type: 'string' },
          permissions: { type: 'array', items: { type: 'string' } }, owner_rules: { type: 'boolean' },
          created: { type: 'string', format: 'date-time' }, expires: { type: ['string', 'null'], format: 'date-time' }, last_used: { type: ['string', 'null'], format: 'date-time' },
        },
      },
    },
  },
  security: adminOnly,
  paths: {
    '/api/artifacts': {
      get: {
        summary: 'List artifacts', operationId: 'listArtifacts',
        parameters: [
          { name: 'type', in: 'query', schema: { enum: ['oci', 'npm', 'maven', 'cargo', 'pypi'] }, description: 'Only this format (default: all).' },
          { name: 'glob', in: 'query', schema: { type: 'string', maxLength: 256 }, description: 'Only names matching this glob (e.g. "team/*"): `*` within a segment, `**` across, `?` one character; nothing richer.' },
          { name: 'pulls', in: 'query', schema: { type: 'boolean' }, description: 'Include pulls and last_pulled.' },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000 }, description: 'Page by names: every version of at most this many names (default with after: 1000; without limit and after, everything at once).' },
          { name: 'after', in: 'query', schema: { type: 'string' }, description: 'The `next` of the previous page.' },
        ],
        responses: { 200: { description: 'Artifacts (and `next` while more pages follow)', content: { 'application/json': { schema: { type: 'object', properties: { items: { type: 'array', items: { $ref: '#/components/schemas/Artifact' } }, next: { type: 'string' } } } } } }, 400: error, 401: error },
      },
      delete: {
        summary: 'Delete a tag, a manifest or a package version', operationId: 'deleteArtifact',
        parameters: [
          { name: 'ref', in: 'query', required: true, schema: { type: 'string' }, description: 'repo:tag, repo@digest, oci:..., npm:name@version, maven:group:artifact@version, cargo:crate@version, pypi:project@version (or pypi:project@filename: one file).' },
          { name: 'dry_run', in: 'query', schema: { type: 'boolean' } },
        ],
        responses: { 200: { description: 'Deleted (or, with dry_run, would be)', content: { 'application/json': { schema: { type: 'object', properties: { deleted: { type: 'object', properties: { ref: { type: 'string' }, dry_run: { type: 'boolean' } } } } } } } }, 400: error, 401: error, 403: error, 404: error },
      },
    },
    '/api/tags': {
      post: {
        summary: 'Tag an existing OCI manifest (same or another repository)', operationId: 'tagManifest',
        requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['source', 'target'], properties: { source: { type: 'string', examples: ['app:1.0', 'app@sha256:...'] }, target: { type: 'string', examples: ['app:stable'] } } } } } },
        responses: { 201: { description: 'Tagged', content: { 'application/json': { schema: { type: 'object', properties: { source: { type: 'string' }, target: { type: 'string' }, digest: { type: 'string' } } } } } }, 400: error, 401: error, 403: error, 404: error },
      },
    },
    '/api/yank': {
      post: {
        summary: 'Yank or unyank a cargo or pypi version', operationId: 'yankVersion',
        parameters: [
          { name: 'ref', in: 'query', required: true, schema: { type: 'string' }, description: 'cargo:crate@version or pypi:project@version.' },
          { name: 'yanked', in: 'query', required: true, schema: { type: 'boolean' } },
        ],
        responses: { 200: { description: 'Done' }, 400: error, 404: error },
      },
    },
    '/api/replication': {
      get: { summary: 'Status of the [[replication]] rules: waiting items, counts, last run and error, failures with reasons', operationId: 'replicationStatus', responses: { 200: { description: 'Rules' } } },
    },
    '/api/gc': {
      get: { summary: 'Progress of the current or last garbage collection in this server', operationId: 'gcState', responses: { 200: { description: 'State', content: { 'application/json': { schema: { $ref: '#/components/schemas/GcReport' } } } }, 401: error } },
      post: {
        summary: 'Start a garbage collection', operationId: 'startGc',
        requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { dry_run: { type: 'boolean' }, grace: { type: 'string', examples: ['30m'] } } } } } },
        responses: { 202: { description: 'Started', content: { 'application/json': { schema: { $ref: '#/components/schemas/GcReport' } } } }, 400: error, 401: error, 403: error, 409: error },
      },
    },
    '/api/tokens': {
      get: {
        summary: 'The caller\'s API tokens (everyone\'s for an admin of "nora" with ?all=1)', operationId: 'listTokens',
        parameters: [{ name: 'all', in: 'query', schema: { enum: ['1'] }, description: 'Every user\'s tokens (admin only; ignored otherwise).' }],
        responses: { 200: { description: 'Tokens, never the secrets', content: { 'application/json': { schema: { type: 'object', properties: { tokens: { type: 'array', items: { $ref: '#/components/schemas/Token' } } } } } } }, 401: error },
      },
      post: {
        summary: 'Create a token for the caller (shown once)', operationId: 'createToken',
        requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['name'], properties: { name: { type: 'string', pattern: '^[\\w.@-]{1,64}$' }, permissions: { type: 'array', items: { type: 'string' } }, expires_in: { type: 'integer', minimum: 0, description: 'Seconds; 0 never expires.' } } } } } },
        responses: { 201: { description: 'Created: the record and, once, the token', content: { 'application/json': { schema: { allOf: [{ $ref: '#/components/schemas/Token' }, { type: 'object', properties: { token: { type: 'string' } } }] } } } }, 400: error, 401: error, 403: error },
      },
    },
    '/api/tokens/{id}': {
      delete: {
        summary: 'Revoke a token (the caller\'s own, or any for an admin)', operationId: 'revokeToken',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { 200: { description: 'Revoked', content: { 'application/json': { schema: { type: 'object', properties: { revoked: { type: 'string' } } } } } }, 401: error, 404: error },
      },
    },
    '/api/webhooks/deliveries': {
      get: {
        summary: 'Webhook deliveries (admin)', operationId: 'listDeliveries',
        parameters: [
          { name: 'hook', in: 'query', schema: { type: 'string' }, description: 'Only this hook (default: every hook).' },
          { name: 'state', in: 'query', schema: { enum: ['pending', 'claimed', 'done', 'dead', 'failed'] }, description: '"failed": dead-lettered, and pending ones that failed at least once.' },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500 } },
          { name: 'cursor', in: 'query', schema: { type: 'string' }, description: 'The cursor of the previous page.' },
        ],
        responses: { 200: { description: 'One page', content: { 'application/json': { schema: { type: 'object', properties: { deliveries: { type: 'array', items: { $ref: '#/components/schemas/Delivery' } }, cursor: { type: 'string' } } } } } }, 400: error, 404: error },
      },
    },
    '/api/webhooks/deliveries/{id}/redeliver': {
      post: {
        summary: 'Send a delivery again (a dead or done one with fresh attempts)', operationId: 'redeliver',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { 200: { description: 'Queued again', content: { 'application/json': { schema: { $ref: '#/components/schemas/Delivery' } } } }, 404: error },
      },
    },
    '/api/webhooks/{name}/test': {
      post: {
        summary: 'Send a ping to a hook now and report the answer', operationId: 'pingHook',
        parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { 200: { description: 'Sent', content: { 'application/json': { schema: { type: 'object', properties: { id: { type: 'string' }, ok: { type: 'boolean' }, status: { type: 'integer' }, duration_ms: { type: 'integer' }, error: { type: 'string' } } } } } }, 404: error },
      },
    },
    '/api/retention': {
      get: { summary: 'The running or last retention pass in this server', operationId: 'retentionState', responses: { 200: { description: 'State', content: { 'application/json': { schema: { $ref: '#/components/schemas/RetentionReport' } } } } } },
      post: {
        summary: 'Apply the retention and cache rules now (dry_run: only plan)', operationId: 'startRetention',
        requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { dry_run: { type: 'boolean' } } } } } },
        responses: { 202: { description: 'Started', content: { 'application/json': { schema: { $ref: '#/components/schemas/RetentionReport' } } } }, 409: error },
      },
    },
    '/api/usage': {
      get: {
        summary: 'Usage of every tenant the caller may see (admins: all; members: their own); traffic counts are this server\'s', operationId: 'listUsage',
        responses: { 200: { description: 'Usage', content: { 'application/json': { schema: { type: 'object', properties: { items: { type: 'array', items: { $ref: '#/components/schemas/Usage' } } } } } } }, 401: error },
      },
    },
    '/api/usage/{tenant}': {
      get: {
        summary: 'Usage of one tenant', operationId: 'tenantUsage',
        parameters: [{ name: 'tenant', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { 200: { description: 'Usage', content: { 'application/json': { schema: { $ref: '#/components/schemas/Usage' } } } }, 401: error, 403: error, 404: error },
      },
    },
    '/api/openapi.json': { get: { summary: 'This document', security: [], responses: { 200: { description: 'OpenAPI 3.1' } } } },
  },
};
