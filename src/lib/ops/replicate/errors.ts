// Errors of `nora replicate`: a location or filter that cannot be used, a source that cannot be
// enumerated, and the per-artifact failures the summary lists.
import { defineError } from '../../errors/catalog.js';

export const ReplicateErrors = {
  BAD_LOCATION: defineError('REPLICATE_BAD_LOCATION', 400, 'A replication source or destination cannot be parsed.',
    (flag: string, text: string, why: string) => `${flag} ${JSON.stringify(text)}: ${why}`),
  BAD_FILTER: defineError('REPLICATE_BAD_FILTER', 400, 'A replication filter (--filter, --tags, --semver, --since, --platform) is malformed.',
    (flag: string, text: string, why: string) => `${flag} ${JSON.stringify(text)}: ${why}`),
  NO_CATALOG: defineError('REPLICATE_NO_CATALOG', 400, 'The source registry cannot list its repositories, so a pattern over names cannot be expanded.',
    (host: string, why: string) => `${host} cannot list its repositories (${why}); name each repository explicitly, e.g. --from ${host}/library/nginx`),
  SOURCE_MISSING: defineError('REPLICATE_SOURCE_MISSING', 404, 'The manifest or blob to copy is not in the source registry.',
    (what: string) => `${what} is not in the source`),
  DESTINATION_REFUSED: defineError('REPLICATE_DESTINATION_REFUSED', 502, 'The destination registry refused a write.',
    (what: string, status: number, body: string) => `the destination refused ${what} (HTTP ${status}${body ? `: ${body}` : ''})`),
  UNSUPPORTED: defineError('REPLICATE_UNSUPPORTED', 400, 'The requested replication is not possible between these locations.',
    (why: string) => why),
} as const;
