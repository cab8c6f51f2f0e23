// maven-metadata.xml from clients (plugin prefixes of a group) and from upstreams (merged version
// lists) is read by linear scans: what the old regular expressions read, and hostile documents
// at the cost of a normal one. With `<version>\s*([^<]*?)\s*</version>` a 4 KiB document of
// spaces blocked the event loop for minutes.
import { describe, expect, it } from 'vitest';
import { readPlugins } from '../../../src/lib/maven/group-metadata.js';
import { readVersionList } from '../../../src/lib/maven/metadata-xml.js';
import { xmlBlocks, xmlTexts } from '../../../src/lib/maven/xml-scan.js';
import { costRatio, describeCost } from '../../helpers/cost-ratio.js';

describe('xml scans', () => {
  it('read element texts and blocks as Maven writes them', () => {
    const xml = '<a> x </a><a><b/></a><a>\n y\t</a><a>unclosed';
    expect([...xmlTexts(xml, 'a')]).toEqual(['x', 'y']);
    expect([...xmlBlocks('<v>1</v><v><w>2</w></v><v>3', 'v')]).toEqual(['1', '<w>2</w>']);
    expect([...xmlTexts('<version><version>1.0</version>', 'version')]).toEqual(['1.0']);
    expect([...xmlBlocks('<versions>', 'version')]).toEqual([]);
  });

  it('read upstream version lists', () => {
    const xml = `<?xml version="1.0"?>\n<metadata>\n  <groupId> org.example </groupId>\n  <artifactId>app</artifactId>\n  <versioning>\n    <versions>\n      <version>1.0</version>\n      <version> </version>\n      <version>2.0</version>\n    </versions>\n    <lastUpdated>20260101000000</lastUpdated>\n  </versioning>\n</metadata>`;
    expect(readVersionList(xml)).toEqual({ groupId: 'org.example', artifactId: 'app', versions: ['1.0', '2.0'], lastUpdated: '20260101000000' });
    expect(readVersionList('<metadata><versions><version>1</version>')).toEqual({ versions: [] });
  });

  it('read the plugins of a group document', () => {
    const xml = `<metadata><plugins>
      <plugin><name>Hello &amp; Co</name><prefix>hello</prefix><artifactId>hello-maven-plugin</artifactId></plugin>
      <plugin><prefix>bad prefix</prefix><artifactId>x</artifactId></plugin>
      <plugin><prefix>other</prefix><artifactId>other-plugin</artifactId></plugin>
    </plugins></metadata>`;
    expect(readPlugins(xml)).toEqual([
      { name: 'Hello & Co', prefix: 'hello', artifactId: 'hello-maven-plugin' },
      { name: 'other-plugin', prefix: 'other', artifactId: 'other-plugin' },
    ]);
  });
});

const SIZE = 64 * 1024;
const fill = (prefix: string, unit: string, suffix = '') => prefix + unit.repeat(Math.floor((SIZE - prefix.length - suffix.length) / unit.length)) + suffix;

/** A real artifact-level document with as many versions as fit, and a group document with as many plugins. */
const NORMAL_VERSIONS = fill('<?xml version="1.0" encoding="UTF-8"?>\n<metadata>\n  <groupId>org.example</groupId>\n  <artifactId>app</artifactId>\n  <versioning>\n    <versions>\n', '      <version>1.2.345</version>\n', '    </versions>\n    <lastUpdated>20260101000000</lastUpdated>\n  </versioning>\n</metadata>\n');
const NORMAL_PLUGINS = fill('<?xml version="1.0" encoding="UTF-8"?>\n<metadata>\n  <plugins>\n', '    <plugin><name>Some Plugin</name><prefix>some</prefix><artifactId>some-maven-plugin</artifactId></plugin>\n', '  </plugins>\n</metadata>\n');

const WORST: Array<[string, string, (xml: string) => unknown, string]> = [
  ['spaces inside an unclosed <version>', fill('<versions><version>', ' '), readVersionList, NORMAL_VERSIONS],
  ['spaces after an unclosed <groupId>', fill('<groupId>', ' '), readVersionList, NORMAL_VERSIONS],
  ['thousands of unclosed <versions>', fill('', '<versions>'), readVersionList, NORMAL_VERSIONS],
  ['thousands of <version> without text', fill('<versions>', '<version><version>', '</versions>'), readVersionList, NORMAL_VERSIONS],
  ['thousands of unclosed <plugin>', fill('<plugins>', '<plugin>', '</plugins>'), readPlugins, NORMAL_PLUGINS],
  ['spaces inside an unclosed <prefix>', fill('<plugins><plugin><prefix>', ' ', '</plugin></plugins>'), readPlugins, NORMAL_PLUGINS],
];

describe('maven-metadata.xml reading cost on hostile documents', { timeout: 60_000 }, () => {
  it.each(WORST)('%s costs less than 10x a normal document of the same size', async (_label, worst, read, normal) => {
    expect(Math.abs(worst.length - normal.length)).toBeLessThan(SIZE / 10);
    const cost = await costRatio(() => read(normal), () => read(worst));
    expect(cost.ratio, describeCost(cost)).toBeLessThan(10);
  });
});
