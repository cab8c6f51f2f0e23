// [retention] keys: the roadmap's rules read as written, and a bad rule (unknown key, bad glob,
// keep_last = 0 without allow_empty, negative duration) stops the load naming the rule's file line.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/lib/config/loader.js';
import { rulesFromConfig } from '../../../src/lib/ops/retention/rules.js';

let dir: string;
beforeAll(async () => { dir = await mkdtemp(path.join(os.tmpdir(), 'nora-retention-config-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

async function load(toml: string) {
  const file = path.join(dir, 'nora.toml');
  await writeFile(file, toml);
  return loadConfig({ env: {}, cwd: dir, configPath: file }).config;
}

async function problem(toml: string): Promise<string> {
  try {
    await load(toml);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the load to fail');
}

const ROADMAP = `[retention]
schedule = "0 3 * * *"
[[retention.rules]]
match = "*/dev-*"
keep_last = 5
[[retention.rules]]
match = "*/release-*"
keep_last = 20
older_than = "90d"
[[retention.rules]]
match = "**/pr-*"
older_than = "7d"
`;

describe('[retention]', () => {
  it('reads the roadmap\'s rules; absent conditions stay absent', async () => {
    const config = await load(ROADMAP);
    expect(config.retention.schedule).toBe('0 3 * * *');
    const rules = rulesFromConfig(config.retention);
    expect(rules.map((r) => [r.match, r.keepLast, r.olderThanMs, r.notPulledForMs, r.keepLastPulled])).toEqual([
      ['*/dev-*', 5, undefined, undefined, undefined],
      ['*/release-*', 20, 90 * 86_400_000, undefined, undefined],
      ['**/pr-*', undefined, 7 * 86_400_000, undefined, undefined],
    ]);
    expect(rules[0]!.action).toBe('yank');
  });

  it('is empty by default (nothing is ever deleted)', async () => {
    const config = await load('');
    expect(config.retention).toMatchObject({ schedule: '', rules: [], cache: [] });
  });

  it('reads cache rules', async () => {
    const config = await load('[[retention.cache]]\nupstream = "hub"\nformat = "oci"\nnot_pulled_for = "30d"\nmax_size = "20GiB"\n');
    expect(config.retention.cache).toEqual([{ upstream: 'hub', format: 'oci', not_pulled_for: 30 * 86_400_000, max_size: 20 * 1024 ** 3 }]);
  });

  it.each([
    ['an unknown key', '[[retention.rules]]\nmatch = "*/x"\nkeep_latest = 3\n', 'nora.toml:3: retention.rules.0.keep_latest: unknown key; did you mean "retention.rules.0.keep_last"?'],
    ['a match without a tag part', '[[retention.rules]]\nmatch = "dev-*"\nkeep_last = 3\n', 'nora.toml:2: retention.rules.0.match: expected REPO_GLOB/TAG_GLOB such as "*/dev-*" or "**/pr-*", got "dev-*"'],
    ['a bad glob', '[[retention.rules]]\nmatch = "*/dev-{a,b}"\nkeep_last = 3\n', 'nora.toml:2: retention.rules.0.match: bad glob "*/dev-{a,b}": only *, ** and ? are wildcards'],
    ['a bad protect glob', '[[retention.rules]]\nmatch = "*/*"\nkeep_last = 3\nprotect = ["[abc]"]\n', 'nora.toml:4: retention.rules.0.protect: bad glob "[abc]"'],
    ['keep_last = 0 without allow_empty', '[[retention.rules]]\nmatch = "*/*"\n\nkeep_last = 0\n', 'nora.toml:4: retention.rules[0].keep_last: keep_last = 0 deletes everything the rule matches; set allow_empty = true to mean it'],
    ['a negative keep_last', '[[retention.rules]]\nmatch = "*/*"\nkeep_last = -2\n', 'nora.toml:3: retention.rules.0.keep_last: must be 0 or more, got -2'],
    ['a negative duration', '[[retention.rules]]\nmatch = "*/*"\nolder_than = "-7d"\n', 'nora.toml:3: retention.rules.0.older_than: expected a duration such as "30s", "5m" or "1h", got string "-7d"'],
    ['a rule without match', '[[retention.rules]]\nkeep_last = 3\n', 'nora.toml:1: retention.rules[0].match: required'],
    ['a bad schedule', '[retention]\nschedule = "daily"\n', 'nora.toml:2: retention.schedule: expected a cron expression'],
    ['a cache rule without a condition', '[[retention.cache]]\nupstream = "hub"\n', 'nora.toml:1: retention.cache[0]: give not_pulled_for or max_size'],
  ])('refuses %s, naming the line', async (_what, toml, message) => {
    expect(await problem(toml)).toContain(message);
  });

  it('names the line of the second rule', async () => {
    expect(await problem(`${ROADMAP}[[retention.rules]]\nmatch = "*/*"\nkeep_last_pulled = 0\n`)).toContain('nora.toml:15: retention.rules[3].keep_last_pulled');
  });
});
