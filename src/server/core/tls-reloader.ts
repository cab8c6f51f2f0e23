// Keeps the served certificate in step with [server.tls] files: `check()` reloads when the
// files changed since the last load (driven by a periodic trigger), `reload()` reloads
// unconditionally (SIGHUP). A broken pair is logged and the previous certificate stays in use.
import type { Logger } from 'pino';
import { readTlsFiles, tlsFilesStamp, type TlsFiles, type TlsMaterial } from './tls-files.js';

export type ReloadOutcome = 'unchanged' | 'reloaded' | 'failed';

export class TlsReloader {
  private stamp: string;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly files: TlsFiles,
    private readonly apply: (material: TlsMaterial) => void,
    private readonly log: Logger,
    initialStamp: string,
  ) {
    this.stamp = initialStamp;
  }

  /** Reloads if either file changed since the last successful or failed attempt. */
  check(): Promise<ReloadOutcome> {
    return this.serialised(async () => {
      const stamp = await tlsFilesStamp(this.files);
      if (stamp === this.stamp) return 'unchanged';
      return this.load(stamp, 'files changed');
    });
  }

  /** Reloads now, whether or not the files look changed. */
  reload(reason: string): Promise<ReloadOutcome> {
    return this.serialised(async () => this.load(await tlsFilesStamp(this.files), reason));
  }

  private async load(stamp: string, reason: string): Promise<ReloadOutcome> {
    // Remember the stamp even on failure, so a broken pair is reported once, not every check.
    this.stamp = stamp;
    try {
      const material = await readTlsFiles(this.files);
      this.apply(material);
      this.log.info({ reason, subject: material.subject, not_after: material.notAfter, fingerprint256: material.fingerprint256 }, 'tls certificate reloaded');
      return 'reloaded';
    } catch (error) {
      this.log.error({ reason, err: { message: (error as Error).message } }, 'tls reload failed; keeping the previous certificate');
      return 'failed';
    }
  }

  private serialised<T>(task: () => Promise<T>): Promise<T> {
    const next = this.queue.then(task, task);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
