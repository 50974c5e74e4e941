/**
 * The console channel (`npx puente chat`): the same engine and turn runner, in a terminal.
 * `--json` reads `{"from","text","id"?,"type"?}` lines and writes one `{"to","text"}` line per reply on stdout, nothing else.
 */
import { createInterface } from 'node:readline';
import type { InboundMessage, MessageType } from '../../dialogue/types';
import type { Outbound } from '../channel';

const TYPES: readonly MessageType[] = ['text', 'voice', 'image', 'video', 'sticker', 'location', 'document', 'contact', 'other'];
/** whatsapp-web.js type names people will paste, mapped to ours (a Map: "__proto__" or "toString" map to nothing). */
const TYPE_ALIASES: ReadonlyMap<string, MessageType> = new Map([['chat', 'text'], ['ptt', 'voice'], ['audio', 'voice'], ['vcard', 'contact'], ['multi_vcard', 'contact']]);

/** A JSON input line that cannot be used, with why. */
export class InputLineError extends Error {}

/** A `--json` input line: a client's message, or (with `"staff": true`) staff writing in that client's chat. */
export interface JsonInput {
  readonly message: InboundMessage;
  readonly staff: boolean;
}

/**
 * Maps one `--json` input line to an inbound message. Throws {@link InputLineError} with a short reason for lines
 * that are not JSON objects with a `from` and a `text` (or a non-text `type`). `"staff": true` marks a message staff
 * sent in the chat of `from` (what the WhatsApp channel reports when someone types on the linked phone; `#bot` resumes).
 */
export function parseJsonLine(line: string, fallbackId: string, now: Date): JsonInput {
  let value: unknown;
  try {
    // A line saved by an editor that writes a byte-order mark is still one JSON object.
    value = JSON.parse(line.replace(/^\uFEFF/, ''));
  } catch {
    throw new InputLineError('not valid JSON');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new InputLineError('expected a JSON object');
  const { from, text, id, type, staff } = value as Record<string, unknown>;
  if (staff !== undefined && typeof staff !== 'boolean') throw new InputLineError('"staff" must be true or false');
  if (typeof from !== 'string' || !from.trim()) throw new InputLineError('"from" must be a non-empty string');
  if (text !== undefined && typeof text !== 'string') throw new InputLineError('"text" must be a string');
  if (id !== undefined && typeof id !== 'string' && typeof id !== 'number') throw new InputLineError('"id" must be a string');
  const rawType = typeof type === 'string' ? type : 'text';
  const mapped = TYPE_ALIASES.get(rawType) ?? (TYPES.includes(rawType as MessageType) ? (rawType as MessageType) : 'other');
  if (text === undefined && mapped === 'text') throw new InputLineError('"text" is missing');
  const message: InboundMessage = { id: id !== undefined ? `console:${String(id)}` : fallbackId, chat: from.trim(), text: text ?? '', type: mapped, receivedAt: now };
  return { message, staff: staff === true };
}

/** Outbound that writes `{"to","text"}` lines. */
export function jsonOutbound(write: (line: string) => void): Outbound {
  return { send: async (chat, text) => write(`${JSON.stringify({ to: chat, text })}\n`) };
}

/** Renders WhatsApp formatting for a terminal: *bold* and _italic_ as ANSI when colours are on. */
export function toTerminal(text: string, colour: boolean): string {
  if (!colour) return text;
  return text.replace(/\*([^*\n]+)\*/g, '\x1b[1m$1\x1b[22m').replace(/(^|\s)_([^_\n]+)_(?=\s|$)/g, '$1\x1b[3m$2\x1b[23m');
}

/** Reads lines from a stream one at a time, awaiting `onLine` before the next so turns stay in order. */
export async function forEachLine(input: NodeJS.ReadableStream, onLine: (line: string) => Promise<void>): Promise<void> {
  const rl = createInterface({ input, crlfDelay: Infinity, terminal: false });
  for await (const line of rl) await onLine(line);
}
