/** Small text helpers shared by the dialogue and the staff side. */

/** `text` on one line (whitespace collapsed), cut to `max` characters with an ellipsis. */
export function oneLine(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** One line for staff: the first 140 characters, whitespace collapsed. */
export function summarise(text: string): string {
  return oneLine(text, 140);
}

/** `text` without NUL characters, which no chat message means and a PostgreSQL text value cannot hold. */
export function withoutNul(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', '') : text;
}
