/**
 * A buffered, single-consumer async queue: the producer pushes without waiting, the consumer
 * iterates. Lets a stream run eagerly, so its `result` settles even if nobody reads its
 * events.
 */
export class EventChannel<Event> implements AsyncIterable<Event> {
  private readonly buffered: Event[] = [];
  private waiting: ((result: IteratorResult<Event>) => void) | undefined;
  private closed = false;
  private iterated = false;

  /** Bound to this channel, so a producer can be handed `channel.push` itself as its sink. */
  readonly push = (event: Event): void => {
    if (this.closed) return;
    const waiting = this.waiting;
    if (waiting) {
      this.waiting = undefined;
      waiting({ value: event, done: false });
    } else {
      this.buffered.push(event);
    }
  };

  close(): void {
    this.closed = true;
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterator<Event> {
    if (this.iterated) throw new Error("a model stream's events can be iterated only once");
    this.iterated = true;
    return {
      next: () => {
        const event = this.buffered.shift();
        if (event !== undefined) return Promise.resolve({ value: event, done: false });
        if (this.closed) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => {
          this.waiting = resolve;
        });
      },
    };
  }
}
