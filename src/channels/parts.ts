/**
 * Long replies go out as several WhatsApp messages. When part 3 of 4 fails, the turn runner later retries the whole
 * reply from its outbox; this remembers which parts already went out so the retry resumes after them and the client
 * never gets the same part twice.
 */
export class PartProgress {
  private readonly done = new Map<string, number>();

  constructor(private readonly remembered = 1_000) {}

  /** Sends `parts` of the reply `text` to `chat` in order, skipping those a failed earlier attempt already sent. */
  async send(chat: string, text: string, parts: readonly string[], sendPart: (part: string) => Promise<void>): Promise<void> {
    const key = `${chat}\u0000${text}`;
    for (let i = this.done.get(key) ?? 0; i < parts.length; i++) {
      await sendPart(parts[i]);
      if (i + 1 < parts.length) this.mark(key, i + 1);
    }
    this.done.delete(key);
  }

  private mark(key: string, count: number): void {
    this.done.delete(key);
    this.done.set(key, count);
    if (this.done.size > this.remembered) this.done.delete(this.done.keys().next().value as string);
  }
}
