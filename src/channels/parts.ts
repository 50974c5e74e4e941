/**
 * Long replies go out as several WhatsApp messages, for both channels: {@link splitMessage} cuts them (each channel has
 * its own limit) and {@link PartProgress} remembers how far a failed send got.
 */

/**
 * When part 3 of 4 fails, the turn runner later retries the whole reply from its outbox; this remembers which parts
 * already went out so the retry resumes after them and the client never gets the same part twice.
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

/** Splits `text` into pieces of at most `max` characters: on blank lines, then lines, then words, then anywhere. */
export function splitMessage(text: string, max: number): string[] {
  return pack(text, max, ['\n\n', '\n', ' '])
    .map((piece) => piece.trim())
    .filter((piece) => piece.length > 0);
}

function pack(text: string, max: number, separators: readonly string[]): string[] {
  if (text.length <= max) return [text];
  const [separator, ...finer] = separators;
  if (separator === undefined) return hardCut(text, max);
  const pieces: string[] = [];
  let current = '';
  for (const part of text.split(separator)) {
    const joined = current === '' ? part : `${current}${separator}${part}`;
    if (joined.length <= max) {
      current = joined;
      continue;
    }
    if (current !== '') pieces.push(current);
    const smaller = pack(part, max, finer);
    pieces.push(...smaller.slice(0, -1));
    current = smaller[smaller.length - 1] ?? '';
  }
  if (current !== '') pieces.push(current);
  return pieces;
}

/** Cuts every `max` characters, never between the two halves of a surrogate pair (an emoji). */
function hardCut(text: string, max: number): string[] {
  const pieces: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(start + max, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff && end - 1 > start) end--;
    pieces.push(text.slice(start, end));
    start = end;
  }
  return pieces;
}
