// Runs queued async tasks, at most `size` at once; tasks may add more tasks. `drained()`
// resolves when nothing is queued or running. A task's rejection is the task's business: the
// pool ignores it (callers catch and record their own failures).
export class TaskPool {
  private readonly queue: Array<() => Promise<void>> = [];
  private running = 0;
  private waiters: Array<() => void> = [];

  constructor(private readonly size: number) {}

  add(task: () => Promise<void>): void {
    this.queue.push(task);
    this.next();
  }

  drained(): Promise<void> {
    if (this.running === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private next(): void {
    while (this.running < this.size && this.queue.length > 0) {
      const task = this.queue.shift()!;
      this.running++;
      void task().catch(() => undefined).finally(() => {
        this.running--;
        this.next();
        if (this.running === 0 && this.queue.length === 0) {
          const waiters = this.waiters;
          this.waiters = [];
          for (const resolve of waiters) resolve();
        }
      });
    }
  }
}
