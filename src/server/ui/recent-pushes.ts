// The last pushes this server saw, kept from the event bus (a derived cache: it starts empty
// with the process and holds what was pushed through this server only). OCI blob uploads are
// left out; a manifest pushed by tag is the push a person means.
import type { EventBus, PublishedEvent } from '../../lib/events/bus.js';

/** `name` is the access name the event carries (Maven: "org/example/lib"). */
export interface RecentPush { format: string; name: string; reference: string; at: Date; actor: string }

export class RecentPushes {
  private readonly items: RecentPush[] = [];
  private readonly unsubscribe: () => void;

  constructor(events: EventBus, private readonly keep = 200) {
    this.unsubscribe = events.subscribe((event) => this.add(event));
  }

  private add(event: PublishedEvent): void {
    if (event.type !== 'ArtifactPushed' || !event.artifact.reference) return;
    const { format, name } = event.artifact;
    // A Maven deploy is one event per file ("1.0/lib-1.0.jar"): one line per version.
    const reference = format === 'maven' ? event.artifact.reference.split('/')[0]! : event.artifact.reference;
    const last = this.items[0];
    if (last && last.format === format && last.name === name && last.reference === reference) return;
    this.items.unshift({ format, name, reference, at: event.at, actor: event.actor ?? 'anonymous' });
    if (this.items.length > this.keep) this.items.pop();
  }

  /** Newest first. */
  list(): readonly RecentPush[] {
    return this.items;
  }

  close(): void {
    this.unsubscribe();
  }
}
