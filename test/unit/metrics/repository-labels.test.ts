// The cardinality guard: the first max_series names keep their own series for good, later ones
// (and names outside the allow-list) count under "(other)".
import { describe, expect, it } from 'vitest';
import { OTHER, RepositoryLabels } from '../../../src/lib/metrics/repository-labels.js';

describe('RepositoryLabels', () => {
  it('gives the first max_series names their own label and keeps it; later names are "(other)"', () => {
    const labels = new RepositoryLabels({ maxSeries: 2, allow: [] });
    expect(labels.label('oci', 'team/a')).toBe('team/a');
    expect(labels.label('npm', 'team/a')).toBe('team/a');
    expect(labels.label('oci', 'team/b')).toBe(OTHER);
    expect(labels.label('oci', 'team/a')).toBe('team/a');
    expect(labels.label('npm', 'team/a')).toBe('team/a');
  });

  it('admits only names an allow-list glob matches, per format or for every format', () => {
    const labels = new RepositoryLabels({ maxSeries: 100, allow: ['oci:prod/**', 'npm:@acme/*', 'shared-*'] });
    expect(labels.label('oci', 'prod/web/app')).toBe('prod/web/app');
    expect(labels.label('oci', 'dev/app')).toBe(OTHER);
    expect(labels.label('npm', '@acme/ui')).toBe('@acme/ui');
    expect(labels.label('npm', '@other/ui')).toBe(OTHER);
    expect(labels.label('npm', 'prod/x')).toBe(OTHER);
    expect(labels.label('pypi', 'shared-utils')).toBe('shared-utils');
  });

  it('max_series 0 puts everything under "(other)"; memory stays bounded under many names', () => {
    expect(new RepositoryLabels({ maxSeries: 0, allow: [] }).label('oci', 'a')).toBe(OTHER);
    const labels = new RepositoryLabels({ maxSeries: 10, allow: [] });
    const named = Array.from({ length: 10_000 }, (_, i) => labels.label('oci', `n${i}`)).filter((l) => l !== OTHER);
    expect(named).toHaveLength(10);
  });
});
