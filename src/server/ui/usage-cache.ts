// Storage figures per format for the overview, kept for a minute: a format's usage() walks its
// whole key space (tens of thousands of keys at 10,000 repositories), which an overview that
// anyone may reload should not repeat every time. Concurrent readers share one computation.
import type { FormatName, Usage } from '../../lib/formats/format-service.js';
import type { Services } from '../../lib/services.js';

export const USAGE_TTL_MS = 60_000;

export class UsageCache {
  private readonly entries = new Map<FormatName, { at: number; usage: Promise<Usage> }>();

  constructor(private readonly services: Services, private readonly now: () => number = Date.now) {}

  get(format: FormatName): Promise<Usage> {
    const found = this.entries.get(format);
    if (found && this.now() - found.at < USAGE_TTL_MS) return found.usage;
    const usage = this.services.formats[format].usage();
    // A failed computation is not kept: the next overview asks again.
    usage.catch(() => this.entries.delete(format));
    this.entries.set(format, { at: this.now(), usage });
    return usage;
  }
}
