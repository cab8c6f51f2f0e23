// Issue 13 item 3: ten clients publishing the same bytes at once, then every refused one retrying
// as CI does, against the real server on an fs store. Whatever the interleaving, the artifact
// stays listed and its files download byte-identical; where the protocol refuses duplicates,
// exactly one publish succeeds. (Before the fix a refused publish deleted the blob the winner
// referenced: npm and PyPI lost the file in 5 of 5 rounds here.)
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNora, type NoraServer } from '../../helpers/nora-process.js';
import { SCENARIOS } from '../../helpers/identical-publish.js';

const CLIENTS = 10;
const ROUNDS = 5;

let nora: NoraServer;
beforeAll(async () => { nora = await startNora(); });
afterAll(async () => { await nora.stop(); });

describe('identical publishes racing', () => {
  it.each(Object.keys(SCENARIOS) as Array<keyof typeof SCENARIOS>)('%s: one wins, the artifact stays served, retries change nothing', async (format) => {
    for (let round = 0; round < ROUNDS; round++) {
      const scenario = SCENARIOS[format](`r${round}-${format}`);
      const statuses = await Promise.all(Array.from({ length: CLIENTS }, () => scenario.publish(nora.url)));
      const won = statuses.filter((s) => s < 300).length;
      expect(statuses.filter((s) => s >= 500), `round ${round}: ${statuses.join(' ')}`).toEqual([]);
      expect(won, `round ${round}: ${statuses.join(' ')}`).toBe(scenario.refusesDuplicates ? 1 : CLIENTS);
      await scenario.expectServed(nora.url);

      // CI-style retries: every refused client publishes again, all at once.
      const retries = await Promise.all(Array.from({ length: CLIENTS - won || CLIENTS }, () => scenario.publish(nora.url)));
      expect(retries.filter((s) => s >= 500), `round ${round} retries: ${retries.join(' ')}`).toEqual([]);
      if (scenario.refusesDuplicates) expect(retries.filter((s) => s < 300), `round ${round} retries`).toEqual([]);
      await scenario.expectServed(nora.url);
    }
    // Refused publishes removed what they staged, and nothing else.
    expect(await readdir(path.join(nora.dataDir, 'tmp')).catch(() => [])).toEqual([]);
  }, 120_000);
});
