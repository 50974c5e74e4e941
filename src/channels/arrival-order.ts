/**
 * A chat's messages are handed over in the order they arrived, even when one of them first waits for its voice note or
 * photo to download: each arrival takes its place at once, does its slow work meanwhile, and hands its message over
 * only once every earlier arrival of the same chat has.
 */

/** One arrival's place: `turn` resolves when everything before it in its chats has left; `leave` lets the next go. */
export interface Place {
  readonly turn: Promise<void>;
  /** Call once the message was handed over (or given up); later calls do nothing. */
  leave(): void;
}

/** Places in line per chat, in this process. */
export class ArrivalOrder {
  private readonly last = new Map<string, Promise<void>>();

  /** Takes the next place in each of `chats` (synchronously: call it as the message arrives). */
  enter(chats: readonly string[]): Place {
    const unique = [...new Set(chats)];
    const before = unique.map((chat) => this.last.get(chat)).filter((p): p is Promise<void> => p !== undefined);
    const turn = Promise.all(before).then(() => undefined);
    let leave: () => void = () => undefined;
    const left = new Promise<void>((resolve) => (leave = resolve));
    // Leaving early never lets a later arrival overtake an earlier one: the place is free only after its own turn.
    const done = Promise.all([turn, left]).then(() => undefined);
    for (const chat of unique) this.last.set(chat, done);
    void done.then(() => {
      for (const chat of unique) if (this.last.get(chat) === done) this.last.delete(chat);
    });
    return { turn, leave };
  }

  /** Chats with an arrival still in line (tests). */
  get size(): number {
    return this.last.size;
  }
}
