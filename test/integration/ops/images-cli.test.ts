// `nora images ls | nora tag | nora delete` in shell pipelines against a running server, with
// --format json, NORA_URL and the exit codes scripts rely on (0 ok, 2 usage, 3 not found).
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, noraCommand, runNora, startNora, type NoraServer } from '../../helpers/nora-process.js';
import { publishAll, type PublishedFile } from '../../helpers/all-formats.js';

let nora: NoraServer;
let one: PublishedFile[];
beforeAll(async () => {
  nora = await startNora();
  one = await publishAll(nora.url, 'one');
  await publishAll(nora.url, 'two');
});
afterAll(async () => { await nora.stop(); });

const bin = () => noraCommand().map((part) => `'${part}'`).join(' ');
function shell(script: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('bash', ['-o', 'pipefail', '-c', script], { env: { ...cleanEnv(), NORA_URL: nora.url, NORA: bin() } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}
const list = async (...args: string[]) => {
  const result = await runNora(['images', 'ls', '--format', 'json', ...args], { env: { NORA_URL: nora.url } });
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as { name: string; version: string; digest: string; size: number }[];
};

describe('nora images ls | tag | delete', () => {
  it('promotes every listed image and deletes the promoted tags again, in pipelines', async () => {
    const tagged = await shell(`eval "$NORA images ls 'ops/*' --format json" | jq -r '.[] | "\\(.name):\\(.version) \\(.name):promoted"' | while read src dst; do eval "$NORA tag $src $dst --json" || exit $?; done`);
    expect(tagged.code, tagged.stderr).toBe(0);
    expect(tagged.stdout.trim().split('\n')).toHaveLength(2);
    const after = await list('ops/*');
    expect(after.filter((i) => i.version === 'promoted').map((i) => i.name).sort()).toEqual(['ops/one', 'ops/two']);
    for (const name of ['ops/one', 'ops/two']) expect(new Set(after.filter((i) => i.name === name).map((i) => i.digest)).size).toBe(1);

    const deleted = await shell(`eval "$NORA images ls --format json" | jq -r '.[] | select(.version == "promoted") | "\\(.name):\\(.version)"' | xargs -n1 -I{} sh -c "$NORA delete {} --json"`);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect((await list()).filter((i) => i.version === 'promoted')).toEqual([]);
    expect((await list()).map((i) => `${i.name}:${i.version}`).sort()).toEqual(['ops/one:v1', 'ops/two:v1']);
  });

  it('SIZE is the image\'s config + layers, not its manifest', async () => {
    const blobs = one.filter((f) => f.format === 'oci' && f.path.includes('/blobs/')).reduce((n, f) => n + f.bytes.length, 0);
    const table = await runNora(['images', 'ls', 'ops/one'], { env: { NORA_URL: nora.url } });
    const [header, row] = table.stdout.trim().split('\n').map((line) => line.split(/\s+/));
    expect(row![header!.indexOf('SIZE')]).toBe(String(blobs));
    expect((await list('ops/one'))[0]!.size).toBe(blobs);
  });

  it('lists other formats as json and tsv', async () => {
    expect((await list('--type', 'npm')).map((i) => `${i.name}@${i.version}`).sort()).toEqual(['ops-one@1.0.0', 'ops-two@1.0.0']);
    expect((await list('--type', 'maven')).map((i) => `${i.name}@${i.version}`).sort()).toEqual(['org.example.ops:one@1.0', 'org.example.ops:two@1.0']);
    expect((await list('--type', 'cargo', 'ops-one')).map((i) => i.version)).toEqual(['1.0.0']);
    expect((await list('--type', 'pypi')).length).toBe(2);
    const tsv = await runNora(['images', 'ls', '--type', 'npm', '--format', 'tsv', '--server', nora.url]);
    expect(tsv.stdout.trim().split('\n').map((l) => l.split('\t').slice(0, 2).join('@'))).toEqual(['ops-one@1.0.0', 'ops-two@1.0.0']);
  });

  it('exit codes: dry run keeps, not found is 3, ambiguous or malformed is 2, unreachable is 1', async () => {
    const env = { NORA_URL: nora.url };
    const dry = await runNora(['delete', 'npm:ops-one@1.0.0', '--dry-run'], { env });
    expect([dry.code, dry.stdout.trim()]).toEqual([0, 'would delete npm:ops-one@1.0.0']);
    expect((await list('--type', 'npm')).length).toBe(2);
    expect((await runNora(['delete', 'npm:ops-one@9.9.9'], { env })).code).toBe(3);
    expect((await runNora(['tag', 'ops/nope:v1', 'ops/nope:v2'], { env })).code).toBe(3);
    const ambiguous = await runNora(['delete', 'left-pad@1.0.0'], { env });
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toMatch(/ambiguous.*npm:left-pad@1\.0\.0/);
    expect((await runNora(['delete', 'npm:latest'], { env })).code).toBe(2);
    expect((await runNora(['delete', 'Not A Ref'], { env })).code).toBe(2);
    const closed = (await import('node:net')).createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    expect((await runNora(['images', 'ls', '--server', `http://127.0.0.1:${port}`])).code).toBe(1);
    const gone = await runNora(['delete', 'cargo:ops-two@1.0.0', '--json'], { env });
    expect([gone.code, JSON.parse(gone.stdout)]).toEqual([0, { ref: 'cargo:ops-two@1.0.0', dry_run: false }]);
    expect((await runNora(['delete', 'cargo:ops-two@1.0.0'], { env })).code).toBe(3);
  });
});
