import { Flags } from '@oclif/core';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { NoraCommand } from './output/nora-command.js';

export default class Login extends NoraCommand {
  static override summary = 'From a CI job: exchange the job\'s OIDC ID token for a short-lived NORA token and configure clients.';
  static override description = `GitHub Actions: needs "permissions: id-token: write"; the ID token is requested from ACTIONS_ID_TOKEN_REQUEST_URL with ACTIONS_ID_TOKEN_REQUEST_TOKEN for --audience.
GitLab CI: declare "id_tokens: NORA_ID_TOKEN: aud: nora" and the token is read from $NORA_ID_TOKEN (or --id-token).
The NORA token is written for docker, npm, cargo (registry "nora") and pip/twine (~/.netrc), or printed.`;
  static override examples = [
    '<%= config.bin %> login --oidc --registry https://nora.example.com',
    '<%= config.bin %> login --oidc --registry https://nora.example.com --id-token env:CI_JOB_JWT --write npm --write docker',
    '<%= config.bin %> login --oidc --registry https://nora.example.com --print',
  ];

  static override flags = {
    oidc: Flags.boolean({ required: true, description: 'Use the CI\'s OIDC ID token (the only login this command does).' }),
    registry: Flags.string({ required: true, description: 'NORA base URL.', env: 'NORA_URL' }),
    audience: Flags.string({ default: 'nora', description: 'Audience to request from GitHub Actions.' }),
    'id-token': Flags.string({ description: 'The ID token: a file path, or env:VAR (default: GitHub\'s request URL, else $NORA_ID_TOKEN).' }),
    write: Flags.string({ multiple: true, options: ['docker', 'npm', 'cargo', 'pip'], description: 'Clients to configure (default: all).' }),
    print: Flags.boolean({ description: 'Print the token on standard output instead of writing files.' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Login);
    const idToken = await this.idToken(flags['id-token'], flags.audience);
    const { serverUrl } = await import('./api-client.js');
    const registry = serverUrl(flags.registry, '--registry').href.replace(/\/+$/, '');
    const response = await fetch(`${registry}/auth/oidc/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: idToken }) });
    const body = (await response.json().catch(() => ({}))) as { token?: string; expires_in?: number; permissions?: string[]; error?: { message?: string } };
    if (!response.ok || !body.token) this.fail(`exchange refused (HTTP ${response.status}): ${body.error?.message ?? 'no token in the answer'}`, 1);
    process.stderr.write(`NORA token valid ${body.expires_in ?? '?'} s; permissions: ${(body.permissions ?? []).join(' ')}\n`);
    if (flags.print) return this.log(body.token);
    const { CLIENTS, writeCredentials } = await import('../lib/auth/client-credentials.js');
    for (const client of (flags.write as typeof CLIENTS | undefined) ?? CLIENTS) {
      process.stderr.write(`${client}: ${writeCredentials(client, registry, body.token, process.env.HOME ?? os.homedir())}\n`);
    }
  }

  private async idToken(source: string | undefined, audience: string): Promise<string> {
    if (source?.startsWith('env:')) return this.required(process.env[source.slice(4)], source);
    if (source) return readFileSync(source, 'utf8').trim();
    const { ACTIONS_ID_TOKEN_REQUEST_URL: url, ACTIONS_ID_TOKEN_REQUEST_TOKEN: bearer } = process.env;
    if (url && bearer) {
      const response = await fetch(`${url}&audience=${encodeURIComponent(audience)}`, { headers: { authorization: `Bearer ${bearer}` } });
      const value = ((await response.json().catch(() => ({}))) as { value?: string }).value;
      return this.required(response.ok ? value : undefined, 'ACTIONS_ID_TOKEN_REQUEST_URL');
    }
    return this.required(process.env.NORA_ID_TOKEN, 'NORA_ID_TOKEN');
  }

  private required(value: string | undefined, where: string): string {
    if (!value) this.fail(`no OIDC ID token from ${where} (GitHub: permissions id-token: write; GitLab: id_tokens)`, 2);
    return value;
  }
}
