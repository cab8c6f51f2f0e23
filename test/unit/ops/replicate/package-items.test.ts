// Which package events a [[replication]] rule queues, and as what.
import { describe, expect, it } from 'vitest';
import type { PublishedEvent } from '../../../../src/lib/events/bus.js';
import { parseSelection } from '../../../../src/lib/ops/replicate/filters.js';
import { packageItem } from '../../../../src/lib/ops/replicate/rules/package-items.js';

const at = new Date(0);
const event = (type: PublishedEvent['type'], format: string, name: string, reference?: string): PublishedEvent => ({ type, at, artifact: { format, name, ...(reference ? { reference } : {}) } });
const all = parseSelection({}, 0);

describe('packageItem', () => {
  it('queues a sync of the name for each change: publish, tag, yank, deprecation', () => {
    for (const type of ['ArtifactPushed', 'TagCreated', 'TagDeleted', 'ArtifactYanked', 'ArtifactUnyanked', 'ArtifactDeprecated', 'ArtifactUndeprecated'] as const) {
      expect(packageItem(event(type, 'npm', '@acme/greet', '1.0.0'), all, false)).toEqual({ op: 'sync', format: 'npm', repo: '@acme/greet', tag: '1.0.0' });
    }
    expect(packageItem(event('ArtifactPulled', 'npm', 'left-pad', '1.0.0'), all, true)).toBeUndefined();
    expect(packageItem(event('ArtifactPushed', 'oci', 'team/app', 'v1'), all, true)).toBeUndefined();
  });

  it('names a Maven artifact as its service does (group:artifact), from the event\'s path form', () => {
    expect(packageItem(event('ArtifactPushed', 'maven', 'org/example/nora/greeter', '1.0.0/greeter-1.0.0.jar'), all, false)).toMatchObject({ op: 'sync', repo: 'org.example.nora:greeter' });
  });

  it('queues a deleted version or a whole package only with delete = true, never a cache eviction or a PyPI file', () => {
    expect(packageItem(event('ArtifactDeleted', 'cargo', 'serde', '1.0.0'), all, false)).toBeUndefined();
    expect(packageItem(event('ArtifactDeleted', 'cargo', 'serde', '1.0.0'), all, true)).toEqual({ op: 'delete', format: 'cargo', repo: 'serde', tag: '1.0.0' });
    expect(packageItem(event('ArtifactDeleted', 'npm', 'left-pad'), all, false)).toBeUndefined();
    expect(packageItem(event('ArtifactDeleted', 'npm', 'left-pad'), all, true)).toEqual({ op: 'delete', format: 'npm', repo: 'left-pad', tag: '' });
    expect(packageItem({ ...event('ArtifactDeleted', 'npm', 'left-pad'), cached: true }, all, true)).toBeUndefined();
    expect(packageItem({ ...event('ArtifactDeleted', 'maven', 'org/example/lib', '1.0'), cached: true }, all, true)).toBeUndefined();
    expect(packageItem(event('ArtifactDeleted', 'pypi', 'requests', 'requests-2.31.0-py3-none-any.whl'), all, true)).toBeUndefined();
    expect(packageItem(event('ArtifactDeleted', 'pypi', 'requests', '2.31.0'), all, true)).toMatchObject({ op: 'delete', tag: '2.31.0' });
  });

  it('applies the rule\'s name filter, and its semver range to deleted versions', () => {
    const selection = parseSelection({ filter: ['@acme/*'], semver: '^2' }, 0);
    expect(packageItem(event('ArtifactPushed', 'npm', 'left-pad', '2.0.0'), selection, true)).toBeUndefined();
    expect(packageItem(event('ArtifactPushed', 'npm', '@acme/greet', '1.0.0'), selection, true)).toMatchObject({ op: 'sync' });
    expect(packageItem(event('ArtifactDeleted', 'npm', '@acme/greet', '1.0.0'), selection, true)).toBeUndefined();
    expect(packageItem(event('ArtifactDeleted', 'npm', '@acme/greet', '2.1.0'), selection, true)).toMatchObject({ op: 'delete' });
  });
});
