// deploy/systemd: systemd's own checker accepts the unit without a warning and rates its
// hardening; the config it starts NORA with passes `nora config check`; the paths the unit uses
// are the ones the README's install guide creates. (No systemd runs as PID 1 on the test
// machines: the reload itself is tested on a real process in core/sighup-reload.test.ts.)
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runNora } from '../../helpers/nora-process.js';
import { runProcess } from '../../helpers/run-process.js';

const UNIT = readFileSync(path.join(ROOT, 'deploy', 'systemd', 'nora.service'), 'utf8');
const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const analyze = (() => { try { return execFileSync('which', ['systemd-analyze'], { encoding: 'utf8' }).trim(); } catch { return ''; } })();
let work: string;
let unitFile: string;

/** The unit's settings of [Service] as name -> values. */
function service(): Map<string, string[]> {
  const section = /^\[Service\]\n([\s\S]*?)(?=^\[)/m.exec(UNIT)![1]!;
  const settings = new Map<string, string[]>();
  for (const line of section.split('\n')) {
    const match = /^(\w+)=(.*)$/.exec(line);
    if (match) settings.set(match[1]!, [...(settings.get(match[1]!) ?? []), match[2]!]);
  }
  return settings;
}

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'nora-unit-'));
  // systemd-analyze checks that ExecStart's program exists: point it at a stand-in.
  const program = path.join(work, 'nora');
  await writeFile(program, '#!/bin/sh\n');
  await chmod(program, 0o755);
  unitFile = path.join(work, 'nora.service');
  await writeFile(unitFile, UNIT.replace('ExecStart=/usr/local/bin/nora ', `ExecStart=${program} `));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('systemd unit deploy/systemd/nora.service', () => {
  it('holds the hardening and the reload the README promises', () => {
    const s = service();
    expect(s.get('ExecStart')).toEqual(['/usr/local/bin/nora serve --config /etc/nora/nora.toml']);
    expect(s.get('ExecReload')).toEqual(['/bin/kill -HUP $MAINPID']);
    expect(s.get('User')).toEqual(['nora']);
    expect(s.get('StateDirectory')).toEqual(['nora']);
    for (const [key, value] of [['ProtectSystem', 'strict'], ['NoNewPrivileges', 'yes'], ['ProtectHome', 'yes'], ['PrivateTmp', 'yes'], ['CapabilityBoundingSet', '']]) {
      expect(s.get(key!), key).toEqual([value]);
    }
    // serve's exit 2 is a configuration to fix: restarting cannot help.
    expect(s.get('RestartPreventExitStatus')).toEqual(['2']);
  });

  it.skipIf(!analyze)('systemd-analyze verify accepts it without a single warning (skipped: no systemd-analyze)', async () => {
    const result = await runProcess(analyze, ['verify', unitFile]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr + result.stdout).toBe('');
    // The check can fail: a misspelt setting is reported.
    const misspelt = path.join(work, 'misspelt.service');
    await writeFile(misspelt, UNIT.replace('ExecStart=/usr/local/bin/nora ', `ExecStart=${path.join(work, 'nora')} `).replace('ProtectSystem=', 'ProtectSystm='));
    expect((await runProcess(analyze, ['verify', misspelt])).stderr).toContain("Unknown key 'ProtectSystm'");
  });

  it.skipIf(!analyze)('systemd-analyze security rates its exposure 2.0 or better (skipped: no systemd-analyze)', async () => {
    const result = await runProcess(analyze, ['security', '--offline=true', '--threshold=20', '--no-pager', unitFile]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Overall exposure level for nora\.service: [01]\.\d|Overall exposure level for nora\.service: 2\.0/);
  });

  it('the config it starts NORA with passes `nora config check`', async () => {
    const result = await runNora(['config', 'check', '--json', '--config', path.join(ROOT, 'deploy', 'systemd', 'nora.toml')]);
    expect(result.code, result.stderr).toBe(0);
    const effective = JSON.parse(result.stdout) as { server: { host: string; port: number }; storage: { data_dir: string }; auth: { enabled: boolean; htpasswd_file: string } };
    expect(effective).toMatchObject({ server: { host: '0.0.0.0', port: 4000 }, storage: { data_dir: '/var/lib/nora/data' }, auth: { enabled: true, htpasswd_file: '/var/lib/nora/htpasswd' } });
  });

  it('the README install guide creates the paths the unit and its config use', () => {
    const guide = /<!-- install-guide:start -->([\s\S]*?)<!-- install-guide:end -->/.exec(README)![1]!;
    expect(guide).toContain('sudo install -m 0755 nora /usr/local/bin/nora');
    expect(guide).toContain('sudo install -D -m 0644 nora.toml /etc/nora/nora.toml');
    expect(guide).toContain('sudo install -m 0644 nora.service /etc/systemd/system/nora.service');
    expect(guide).toContain('sudo useradd --system --home-dir /var/lib/nora --shell /usr/sbin/nologin nora');
    expect(guide).toContain('sudo -u nora nora users add alice --config /etc/nora/nora.toml');
  });
});
