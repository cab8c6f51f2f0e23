// What the retention planner reads (every name's tags or versions, as the format services list
// them) and what it answers (one decision per deletion, with the rule and conditions that decided).
import type { BuildInfo, FormatName, ManifestListing, VersionInfo } from '../../formats/format-service.js';

export interface Blob { digest: string; size: number }

/** One tag (OCI) or version, as listVersions gives it (the fields retention decides on). */
export interface RetentionUnit extends Pick<VersionInfo, 'version' | 'digest' | 'size' | 'pushed' | 'lastPulled' | 'pulls' | 'tags' | 'yanked'> {
  /** Blobs it holds; default: one blob `digest` of `size`. */
  blobs?: Blob[];
  /** Maven: the timestamped builds of a SNAPSHOT version. */
  builds?: BuildInfo[];
}

/** One repository or package with everything retention decides on. */
export interface RetentionName {
  format: FormatName;
  /** The service's spelling (what delete takes). */
  name: string;
  /** The access name rules glob ("org/example/lib" for "org.example:lib"). */
  accessName: string;
  units: RetentionUnit[];
  /** OCI: every manifest of the repository, tagged or not. */
  manifests?: ManifestListing[];
}

export type DecisionKind = 'tag' | 'manifest' | 'version' | 'build';

export interface Decision {
  format: FormatName;
  name: string;
  kind: DecisionKind;
  /** What the service call takes: the tag, digest, version; a build's SNAPSHOT version. */
  reference: string;
  /** Maven: the timestamped build ("20240101.120000-3"). */
  build?: string;
  action: 'delete' | 'yank';
  /** The digest the tag or version named when planned (the executor re-checks it). */
  digest: string;
  pushed: string;
  lastPulled?: string;
  /** Index of the deciding rule in [[retention.rules]]. */
  rule: number;
  match: string;
  /** The conditions that said delete ("keep_last = 5: 7th newest; older_than = 90d: pushed 120d ago"). */
  reason: string;
  /** Bytes gc frees once this goes (blobs nothing kept and no earlier decision holds). */
  bytes: number;
}

export interface Plan {
  now: string;
  decisions: Decision[];
  /** Sum of decisions' bytes. */
  bytes: number;
  names: number;
  /** Tags, versions, builds and untagged manifests looked at. */
  considered: number;
  kept: number;
}
