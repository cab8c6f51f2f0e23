// Bundled and run by scripts/bench/auth.mjs: times authorization decisions of RuleAuthorizer for
// a cached identity at 1,000 rules (allowed and denied), and the first, uncached decision.
import { RuleAuthorizer } from '../../src/lib/auth/rule-authorizer.js';
import type { AccessRequest } from '../../src/lib/auth/access.js';

const RULES = Number(process.env.BENCH_RULES ?? 1000);
const DECISIONS = Number(process.env.BENCH_DECISIONS ?? 100_000);
const req = (action: AccessRequest['action'], name: string): AccessRequest => ({ action, format: 'oci', name });

async function main(): Promise<void> {
  const authorizer = new RuleAuthorizer({
    groups: { team: ['carol'] }, anonymous: [],
    rules: Array.from({ length: RULES }, (_, i) => ({ subject: i % 3 === 0 ? 'team' : i % 3 === 1 ? 'carol' : '*', permissions: [`push:org${i}/**`, `pull:org${i}/*`] })),
  });
  const carol = { kind: 'user' as const, name: 'carol' };
  let start = process.hrtime.bigint();
  await authorizer.authorize(carol, [req('push', 'org1/x')]);
  const firstUs = Number(process.hrtime.bigint() - start) / 1000;
  const names = Array.from({ length: 512 }, (_, i) => `org${(i * 7) % RULES}/app${i % 5}`);
  for (const name of names) await authorizer.authorize(carol, [req('push', name)]);
  let allowed = 0;
  start = process.hrtime.bigint();
  for (let i = 0; i < DECISIONS; i++) if (await authorizer.authorize(carol, [req('push', names[i % names.length]!)])) allowed++;
  const allowUs = Number(process.hrtime.bigint() - start) / 1000 / DECISIONS;
  start = process.hrtime.bigint();
  let denied = 0;
  for (let i = 0; i < DECISIONS; i++) if (!(await authorizer.authorize(carol, [req('delete', names[i % names.length]!)]))) denied++;
  const denyUs = Number(process.hrtime.bigint() - start) / 1000 / DECISIONS;
  console.log(JSON.stringify({ rules: RULES, decisions: DECISIONS, firstUs, allowUs, denyUs, allowed, denied }));
}

void main();
