// Push messages from main to every connected page (IPC, SSE). Transports
// subscribe; the session and the job runner publish.
import type { PushChannel, PushMessages } from '../../src-shared/contract.ts';

export type PushEvent = { [C in PushChannel]: { channel: C; message: PushMessages[C] } }[PushChannel];
export type PushSubscriber = (event: PushEvent) => void;

export class PushEmitter {
  private readonly subscribers = new Set<PushSubscriber>();

  /** Returns the unsubscribe function. */
  subscribe(subscriber: PushSubscriber): () => void {
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  emit<C extends PushChannel>(channel: C, message: PushMessages[C]): void {
    const event = { channel, message } as PushEvent;
    // A failing subscriber (a closed window, a dropped SSE socket) must not stop the others.
    for (const subscriber of [...this.subscribers]) {
      try {
        subscriber(event);
      } catch (error) {
        console.error('push subscriber failed:', error);
      }
    }
  }
}
