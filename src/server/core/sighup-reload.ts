// What SIGHUP reloads in a running `serve` (the systemd unit's ExecReload sends it):
//   - the htpasswd users file, re-read at once (it is also re-checked once a second);
//   - the TLS certificate and key (also re-checked every server.tls.reload_interval);
//   - log.level from the configuration, re-read from the same file, environment and flags.
// API tokens and the signing key live in the store and are read on every request: nothing to
// reload. Every other setting that changed needs a restart: the log says which keys (names only,
// never values, some are secrets). An invalid configuration file is logged and changes nothing
// the configuration decides; the files above are still re-read.
import type { Logger } from 'pino';
import type { NoraConfig } from '../../lib/config/schema.js';
import type { HtpasswdUsers } from '../../lib/auth/htpasswd.js';
import type { TlsReloader } from './tls-reloader.js';

/** Settings SIGHUP applies to the running process. */
const RELOADABLE = new Set(['log.level']);

export interface SighupTargets {
  /** The configuration the process runs with; log.level is updated in it when applied. */
  running: NoraConfig;
  /** Re-reads the configuration as `serve` loaded it; throws a ConfigError when it is invalid. */
  loadConfig?: () => NoraConfig;
  /** Every logger whose level follows log.level (children copy the level when made). */
  loggers: Logger[];
  users: HtpasswdUsers;
  tls?: TlsReloader;
  log: Logger;
}

export interface ReloadSummary {
  reloaded: string[];
  restartNeeded: string[];
  failed: string[];
}

/** Reloads what can reload and logs one "reloaded" line saying what did and what needs a restart. */
export async function reloadOnSighup(targets: SighupTargets, reason = 'SIGHUP'): Promise<ReloadSummary> {
  const summary: ReloadSummary = { reloaded: [], restartNeeded: [], failed: [] };
  const { running, log } = targets;
  let level: NoraConfig['log']['level'] | undefined;
  if (targets.loadConfig) {
    try {
      const next = targets.loadConfig();
      for (const key of changedKeys(running, next)) {
        if (!RELOADABLE.has(key)) summary.restartNeeded.push(key);
      }
      if (next.log.level !== running.log.level) {
        level = next.log.level;
        summary.reloaded.push(`log.level=${level}`);
      }
    } catch (error) {
      summary.failed.push('configuration');
      log.error({ reason, err: { message: (error as Error).message } }, 'configuration reload failed; the running settings stay');
    }
  }
  if (running.auth.htpasswd_file) {
    try {
      summary.reloaded.push(`auth.htpasswd_file (${targets.users.reloadNow()} users)`);
    } catch (error) {
      summary.failed.push('auth.htpasswd_file');
      log.error({ reason, err: { message: (error as Error).message } }, 'htpasswd reload failed; the previous users stay');
    }
  }
  if (targets.tls) {
    // The reloader logs the certificate it loaded or why it kept the previous one.
    const outcome = await targets.tls.reload(reason);
    if (outcome === 'failed') summary.failed.push('server.tls');
    else summary.reloaded.push('server.tls certificate');
  }
  // Said under the level in force when the signal came, so `info` -> `warn` still shows it.
  log.info({ reason, reloaded: summary.reloaded, restart_needed: summary.restartNeeded, failed: summary.failed }, 'reloaded');
  if (summary.restartNeeded.length > 0) {
    log.warn({ keys: summary.restartNeeded }, `changed settings need a restart to apply: ${summary.restartNeeded.join(', ')}`);
  }
  if (level) {
    for (const logger of targets.loggers) logger.level = level;
    running.log.level = level;
  }
  return summary;
}

/** Dotted keys whose values differ between two configurations (tables compared key by key). */
export function changedKeys(before: unknown, after: unknown, prefix = ''): string[] {
  if (isTable(before) && isTable(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    return [...keys].flatMap((key) => changedKeys(before[key], after[key], prefix ? `${prefix}.${key}` : key));
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [prefix];
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
