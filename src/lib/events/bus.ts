// The in-process bus for domain events. Publishers never wait for subscribers, and a failing
// subscriber (audit log, webhook, metrics) never fails the request that published the event.
export interface ArtifactRef {
  format: string;
  /** Repository or package name in its format's spelling. */
  name: string;
  /** Tag, version or file, when the event is about one. */
  reference?: string;
  digest?: string;
}

export type DomainEvent =
  | { type: 'ArtifactPushed'; artifact: ArtifactRef; size?: number; actor?: string }
  | { type: 'ArtifactDeleted'; artifact: ArtifactRef; actor?: string }
  | { type: 'TagCreated'; artifact: ArtifactRef; actor?: string }
  | { type: 'ArtifactPulled'; artifact: ArtifactRef; actor?: string };

type Handler = (event: DomainEvent & { at: Date }) => void | Promise<void>;

export class EventBus {
  private readonly handlers = new Set<Handler>();

  constructor(private readonly onHandlerError: (error: unknown, event: DomainEvent) => void = () => undefined) {}

  /** Subscribes; returns the function that unsubscribes. */
  subscribe(handler: Handler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  publish(event: DomainEvent): void {
    const stamped = { ...event, at: new Date() };
    for (const handler of this.handlers) {
      try {
        const result = handler(stamped);
        if (result instanceof Promise) result.catch((error: unknown) => this.onHandlerError(error, event));
      } catch (error) {
        this.onHandlerError(error, event);
      }
    }
  }
}
