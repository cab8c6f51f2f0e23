// The manifest media types NORA stores, and the ones it recognises only to refuse.
// https://github.com/opencontainers/image-spec/blob/main/media-types.md
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
export const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
export const DOCKER_SCHEMA1 = ['application/vnd.docker.distribution.manifest.v1+json', 'application/vnd.docker.distribution.manifest.v1+prettyjws'];

export type ManifestKind = 'image' | 'index';

/** Media type → whether it is a single image (config + layers) or an index of manifests. */
export const MANIFEST_KINDS: Record<string, ManifestKind> = {
  [OCI_MANIFEST]: 'image',
  [DOCKER_MANIFEST]: 'image',
  [OCI_INDEX]: 'index',
  [DOCKER_LIST]: 'index',
};

/** The bare media type of a Content-Type header ("type/subtype; charset=x" → "type/subtype"). */
export const bareMediaType = (header: string | undefined): string => (header ?? '').split(';', 1)[0]!.trim().toLowerCase();
