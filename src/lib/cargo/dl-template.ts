// Expands a registry's `dl` template into a .crate URL, as cargo does
// (https://doc.rust-lang.org/cargo/reference/registry-index.html#index-configuration): the
// markers {crate}, {version}, {prefix}, {lowerprefix}, {sha256-checksum}; with none of them,
// "/{crate}/{version}/download" is appended.
import { namePrefix } from './names.js';

const MARKERS = ['{crate}', '{version}', '{prefix}', '{lowerprefix}', '{sha256-checksum}'];

export function expandDl(template: string, name: string, version: string, cksum: string): string {
  if (!MARKERS.some((m) => template.includes(m))) return `${template.replace(/\/+$/, '')}/${name}/${version}/download`;
  return template
    .replaceAll('{crate}', name)
    .replaceAll('{version}', version)
    .replaceAll('{prefix}', namePrefix(name))
    .replaceAll('{lowerprefix}', namePrefix(name).toLowerCase())
    .replaceAll('{sha256-checksum}', cksum);
}
