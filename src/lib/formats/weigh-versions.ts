// A name's weight read through the format contract itself: every version's blobs, each once.
// Formats whose versions hold all their artifacts (npm, Maven, Cargo, PyPI) weigh names this way;
// OCI also counts untagged manifests, which only its own store knows.
import type { FormatService, NameWeight } from './format-service.js';

export async function weighVersions(service: Pick<FormatService, 'listVersions' | 'read'>, name: string): Promise<NameWeight> {
  const versions = await service.listVersions(name);
  const blobs = new Map<string, number>();
  for (const version of versions) {
    const detail = await service.read(name, version.version);
    for (const blob of detail?.blobs ?? []) blobs.set(blob.digest, blob.size);
  }
  return { versions: versions.length, blobs: [...blobs].map(([digest, size]) => ({ digest, size })) };
}
