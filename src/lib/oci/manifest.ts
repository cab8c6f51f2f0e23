// Parses and validates a pushed manifest: OCI image manifest and index, Docker schema 2 manifest
// and manifest list. Schema 1 and anything malformed are MANIFEST_INVALID with the reason. The
// result lists what the manifest references, so the store can check those exist first.
// https://github.com/opencontainers/image-spec/blob/main/manifest.md, .../image-index.md
import { parseDigest } from '../blobs/digest.js';
import { OciErrors } from './errors.js';
import { DOCKER_SCHEMA1, MANIFEST_KINDS, bareMediaType, type ManifestKind } from './media-types.js';

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
  platform?: Record<string, unknown>;
}

/** A descriptor the manifest names, with where it stands ("config", "layers[2]") for messages. */
export interface Referenced {
  field: string;
  digest: string;
  size: number;
}

export interface ParsedManifest {
  mediaType: string;
  kind: ManifestKind;
  /** Blobs (config and layers) the manifest needs in its repository, with their declared sizes. */
  blobs: Referenced[];
  /** Child manifests (an index's entries) that must already be in the repository. */
  manifests: Referenced[];
  subject?: Descriptor;
  /** artifactType, else (image manifests) the config's media type: what referrers report. */
  artifactType?: string;
  annotations?: Record<string, string>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function descriptor(value: unknown, where: string): Descriptor {
  if (!isObject(value)) throw OciErrors.MANIFEST_INVALID(`${where} must be a descriptor object`);
  const { mediaType, digest, size, artifactType, annotations } = value;
  if (typeof mediaType !== 'string' || mediaType === '') throw OciErrors.MANIFEST_INVALID(`${where}.mediaType must be a non-empty string`);
  if (typeof digest !== 'string' || !parseDigest(digest)) throw OciErrors.MANIFEST_INVALID(`${where}.digest ${JSON.stringify(digest)} is not a sha256 or sha512 digest`);
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) throw OciErrors.MANIFEST_INVALID(`${where}.size must be a non-negative integer`);
  if (artifactType !== undefined && typeof artifactType !== 'string') throw OciErrors.MANIFEST_INVALID(`${where}.artifactType must be a string`);
  if (annotations !== undefined && !isStringMap(annotations)) throw OciErrors.MANIFEST_INVALID(`${where}.annotations must map strings to strings`);
  return value as unknown as Descriptor;
}

const isStringMap = (v: unknown): v is Record<string, string> => isObject(v) && Object.values(v).every((x) => typeof x === 'string');

function descriptors(value: unknown, where: string): Descriptor[] {
  if (!Array.isArray(value)) throw OciErrors.MANIFEST_INVALID(`${where} must be an array of descriptors`);
  return value.map((item, i) => descriptor(item, `${where}[${i}]`));
}

const referenced = (d: Descriptor, field: string): Referenced => ({ field, digest: d.digest, size: d.size });

/** Validates `bytes` sent with Content-Type `contentType`; MANIFEST_INVALID says what is wrong. */
export function parseManifest(bytes: Buffer, contentType: string | undefined): ParsedManifest {
  const declared = bareMediaType(contentType);
  if (DOCKER_SCHEMA1.includes(declared)) throw schema1();
  let doc: unknown;
  try {
    doc = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw OciErrors.MANIFEST_INVALID(`not valid JSON (${(error as Error).message})`);
  }
  if (!isObject(doc)) throw OciErrors.MANIFEST_INVALID('a manifest must be a JSON object');
  if (doc.schemaVersion === 1 || (typeof doc.mediaType === 'string' && DOCKER_SCHEMA1.includes(doc.mediaType))) throw schema1();
  if (doc.schemaVersion !== 2) throw OciErrors.MANIFEST_INVALID(`schemaVersion must be 2, got ${JSON.stringify(doc.schemaVersion)}`);
  if (doc.mediaType !== undefined && typeof doc.mediaType !== 'string') throw OciErrors.MANIFEST_INVALID('mediaType must be a string');
  const inBody = doc.mediaType;
  if (inBody && declared && MANIFEST_KINDS[declared] && inBody !== declared) {
    throw OciErrors.MANIFEST_INVALID(`Content-Type ${declared} does not match the manifest's mediaType ${inBody}`);
  }
  const mediaType = inBody ?? (MANIFEST_KINDS[declared] ? declared : undefined);
  if (!mediaType) throw OciErrors.MANIFEST_INVALID(`no manifest media type: set mediaType in the manifest or a Content-Type of ${Object.keys(MANIFEST_KINDS).join(', ')}`);
  const kind = MANIFEST_KINDS[mediaType];
  if (!kind) throw OciErrors.MANIFEST_INVALID(`unsupported manifest media type ${mediaType}; accepted: ${Object.keys(MANIFEST_KINDS).join(', ')}`);
  if (doc.artifactType !== undefined && typeof doc.artifactType !== 'string') throw OciErrors.MANIFEST_INVALID('artifactType must be a string');
  if (doc.annotations !== undefined && !isStringMap(doc.annotations)) throw OciErrors.MANIFEST_INVALID('annotations must map strings to strings');
  const subject = doc.subject === undefined ? undefined : descriptor(doc.subject, 'subject');
  const common = {
    mediaType, kind,
    ...(subject ? { subject } : {}),
    ...(doc.annotations ? { annotations: doc.annotations } : {}),
  };
  if (kind === 'index') {
    const entries = descriptors(doc.manifests, 'manifests');
    return { ...common, blobs: [], manifests: entries.map((d, i) => referenced(d, `manifests[${i}]`)), ...(doc.artifactType ? { artifactType: doc.artifactType } : {}) };
  }
  const config = descriptor(doc.config, 'config');
  const layers = descriptors(doc.layers, 'layers');
  const artifactType = (doc.artifactType) ?? config.mediaType;
  return { ...common, blobs: [referenced(config, 'config'), ...layers.map((d, i) => referenced(d, `layers[${i}]`))], manifests: [], artifactType };
}

const schema1 = () => OciErrors.MANIFEST_INVALID('Docker schema 1 manifests are not supported (deprecated since Docker 1.10); push the image with a current client, which writes schema 2 or OCI manifests');
