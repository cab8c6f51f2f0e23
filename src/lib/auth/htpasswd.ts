// The htpasswd user file: `name:$2y$...` lines, bcrypt only ($2a$, $2b$, $2y$). Any other hash
// kind refuses to load with the line that holds it. The file is re-read when its mtime or size
// changes (checked at most once a second), so `nora users add` takes effect on running servers.
import { readFileSync, statSync, writeFileSync, renameSync } from 'node:fs';
import bcrypt from 'bcryptjs';
import { AuthErrors } from './errors.js';

const BCRYPT = /^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/;
const NAME = /^[A-Za-z0-9._@-]{1,128}$/;

export function parseHtpasswd(text: string, file: string): Map<string, string> {
  const users = new Map<string, string>();
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '' || line.startsWith('#')) return;
    const colon = line.indexOf(':');
    const name = line.slice(0, colon);
    const hash = line.slice(colon + 1).trim();
    if (colon <= 0) throw AuthErrors.HTPASSWD_INVALID(`${file}:${i + 1}`, 'expected "name:hash"');
    if (!BCRYPT.test(hash)) throw AuthErrors.HTPASSWD_INVALID(`${file}:${i + 1}`, `user "${name}" has a non-bcrypt hash; only bcrypt ($2y$, $2a$, $2b$) is accepted — reset it with \`nora users add ${name}\``);
    users.set(name, hash);
  });
  return users;
}

let dummy: Promise<string> | undefined;
const dummyHash = (): Promise<string> => (dummy ??= bcrypt.hash('nora-dummy-password', 10));

export class HtpasswdUsers {
  private users = new Map<string, string>();
  private stamp = '';
  private checkedAt = 0;

  /** Throws when the file is unreadable or holds a non-bcrypt hash (at start). */
  /** `onReload` hears of every later reload (for the audit log), with the number of users. */
  constructor(private readonly file: string, private readonly onReload: (users: number) => void = () => undefined) {
    if (file) this.reload(true);
  }

  private reload(strict: boolean, force = false): void {
    try {
      const st = statSync(this.file, { throwIfNoEntry: false });
      const stamp = st ? `${st.mtimeMs}:${st.size}` : 'absent';
      if (stamp === this.stamp && !force) return;
      this.users = st ? parseHtpasswd(readFileSync(this.file, 'utf8'), this.file) : new Map();
      if (this.stamp) this.onReload(this.users.size);
      this.stamp = stamp;
    } catch (error) {
      // At start a bad file stops the server; later, the previous users stay in force.
      if (strict) throw error;
    }
  }

  private fresh(): void {
    if (!this.file) return;
    const now = Date.now();
    if (now - this.checkedAt < 1000) return;
    this.checkedAt = now;
    this.reload(false);
  }

  /**
   * Re-reads the file now, whatever its stamp says (SIGHUP: an edit within the same second and
   * size is otherwise invisible). Throws, keeping the previous users, when the file is unreadable
   * or holds a bad line. Returns the number of users; 0 without a configured file.
   */
  reloadNow(): number {
    if (!this.file) return 0;
    this.checkedAt = Date.now();
    this.reload(true, true);
    return this.users.size;
  }

  /** True when a users file is configured and exists now. */
  fileExists(): boolean {
    return this.file !== '' && statSync(this.file, { throwIfNoEntry: false }) !== undefined;
  }

  has(name: string): boolean {
    this.fresh();
    return this.users.has(name);
  }

  names(): string[] {
    this.fresh();
    return [...this.users.keys()];
  }

  async verify(name: string, password: string): Promise<boolean> {
    this.fresh();
    const hash = this.users.get(name);
    // An unknown user costs the same bcrypt comparison, so timing does not reveal user names.
    if (!hash) return bcrypt.compare(password, await dummyHash()).then(() => false);
    return bcrypt.compare(password, hash.replace(/^\$2y\$/, '$2b$'));
  }
}

/** Adds or replaces a user in the file (written atomically). */
export async function setUser(file: string, name: string, password: string): Promise<void> {
  if (!NAME.test(name)) throw new Error(`invalid user name "${name}" (letters, digits, . _ @ - only)`);
  const users = readUsers(file);
  users.set(name, await bcrypt.hash(password, 10));
  writeUsers(file, users);
}

/** Removes a user; false when there was none. */
export function removeUser(file: string, name: string): boolean {
  const users = readUsers(file);
  const had = users.delete(name);
  if (had) writeUsers(file, users);
  return had;
}

function readUsers(file: string): Map<string, string> {
  const st = statSync(file, { throwIfNoEntry: false });
  return st ? parseHtpasswd(readFileSync(file, 'utf8'), file) : new Map();
}

function writeUsers(file: string, users: Map<string, string>): void {
  const text = [...users].map(([n, h]) => `${n}:${h}\n`).join('');
  writeFileSync(`${file}.tmp`, text, { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}
