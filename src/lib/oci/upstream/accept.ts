// The manifest media types NORA asks upstreams for: OCI and Docker v2 images and indexes/lists,
// so multi-platform images arrive as their index and clients choose the platform.
// https://github.com/opencontainers/image-spec/blob/main/media-types.md
export const MEDIA_TYPES_ACCEPTED = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');
