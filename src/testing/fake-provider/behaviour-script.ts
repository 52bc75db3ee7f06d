import { type Behaviour, defaultReply } from "./behaviour.js";
import type { ProviderShape } from "./provider-shape.js";

/**
 * Which behaviour answers the next request: the provider's queue first, then the shared queue
 * (both first in, first out), then the provider's default, then the shared default, then a
 * normal reply.
 */
export class BehaviourScript {
  readonly #sharedQueue: Behaviour[] = [];
  readonly #providerQueues = new Map<ProviderShape, Behaviour[]>();
  readonly #providerDefaults = new Map<ProviderShape, Behaviour>();
  #sharedDefault: Behaviour = defaultReply;

  enqueue(provider: ProviderShape | undefined, behaviours: readonly Behaviour[]): void {
    if (provider === undefined) {
      this.#sharedQueue.push(...behaviours);
      return;
    }
    const queue = this.#providerQueues.get(provider);
    if (queue === undefined) this.#providerQueues.set(provider, [...behaviours]);
    else queue.push(...behaviours);
  }

  setDefault(provider: ProviderShape | undefined, behaviour: Behaviour | undefined): void {
    if (provider === undefined) this.#sharedDefault = behaviour ?? defaultReply;
    else if (behaviour === undefined) this.#providerDefaults.delete(provider);
    else this.#providerDefaults.set(provider, behaviour);
  }

  next(provider: ProviderShape): Behaviour {
    const providerQueue = this.#providerQueues.get(provider);
    if (providerQueue !== undefined && providerQueue.length > 0) return providerQueue.shift()!;
    if (this.#sharedQueue.length > 0) return this.#sharedQueue.shift()!;
    return this.#providerDefaults.get(provider) ?? this.#sharedDefault;
  }

  /** Behaviours still queued: for one provider, or in all queues together. */
  queued(provider?: ProviderShape): number {
    if (provider !== undefined) return this.#providerQueues.get(provider)?.length ?? 0;
    let count = this.#sharedQueue.length;
    for (const queue of this.#providerQueues.values()) count += queue.length;
    return count;
  }

  clear(): void {
    this.#sharedQueue.length = 0;
    this.#providerQueues.clear();
    this.#providerDefaults.clear();
    this.#sharedDefault = defaultReply;
  }
}
