// Access-control set-ups that cannot be what the operator meant, found when the server starts
// (and, for one token, when it is created): with auth on, a users file that does not exist
// (nobody can log in with a password; the start is refused), and API tokens whose owner no
// users file, rule or group knows (a typo at `tokens create`, or a user since removed).
import type { AuthService } from './auth-service.js';
import type { ConfigProblem } from '../config/config-error.js';

export interface SetupFindings {
  /** The server cannot work as configured: the start is refused. */
  errors: ConfigProblem[];
  /** Probably a mistake; the server starts and logs each. */
  warnings: string[];
}

/** True when the users file, a rule's subject or a group names `user`. */
export function isKnownUser(auth: AuthService, user: string): boolean {
  const { rules, groups } = auth.config.auth;
  return auth.users.has(user) || rules.some((r) => r.subject === user) || Object.values(groups).some((members) => members.includes(user));
}

/** Why `user` cannot own a token, or undefined when it can. */
export function unknownOwnerReason(auth: AuthService, user: string): string | undefined {
  if (isKnownUser(auth, user)) return undefined;
  const file = auth.config.auth.htpasswd_file;
  return `no user "${user}": ${file ? `not in ${file}, ` : ''}and no [[auth.rules]] subject or [auth.groups] member names it${file ? `; add the user first with \`nora users add ${user}\`` : ''}`;
}

/** `origin(key)` says where a setting came from, for the messages. */
export async function checkAuthSetup(auth: AuthService, origin: (key: string) => string): Promise<SetupFindings> {
  const findings: SetupFindings = { errors: [], warnings: [] };
  if (!auth.enabled) return findings;
  const file = auth.config.auth.htpasswd_file;
  if (file && !auth.users.fileExists()) {
    findings.errors.push({ key: 'auth.htpasswd_file', origin: origin('auth.htpasswd_file'), message: `${file} does not exist; with [auth] enabled nobody could log in with a password. Create it with \`nora users add NAME --file ${file}\`, or fix the path` });
  }
  for (const token of await auth.tokens.list()) {
    // OIDC tokens belong to a CI identity ("oidc:..."), which no users file holds.
    if (!token.owner_rules) continue;
    if (!isKnownUser(auth, token.owner)) {
      findings.warnings.push(`API token ${token.id} "${token.name}" belongs to user "${token.owner}", whom no users file, rule or group knows; revoke it with \`nora tokens revoke ${token.id}\` or add the user`);
    }
  }
  return findings;
}
