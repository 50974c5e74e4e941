/**
 * Logging with pino, to stderr (stdout belongs to `chat --json` and `classify`). Pretty in a terminal, JSON otherwise.
 *
 * Privacy by default: message text, names and phone numbers never reach the log unless LOG_MESSAGE_TEXT=true; even
 * then phone numbers are masked and A-numbers redacted. Code logs chats through {@link maskChat}.
 */
import { createHash } from 'node:crypto';
import pino, { type Logger } from 'pino';

export type { Logger };

/** Field names whose values are removed from every log line. */
const REDACTED_FIELDS = ['text', 'body', 'name', 'phone', 'from', 'to', 'caption', 'fullName', 'password', 'token'];

/** Options for {@link createLogger}. */
export interface LogOptions {
  readonly level: string;
  readonly logMessageText?: boolean;
  /** Defaults to stderr; tests pass a stream to read what was logged. */
  readonly destination?: NodeJS.WritableStream;
  readonly pretty?: boolean;
}

/** Creates the process logger. */
export function createLogger(options: LogOptions): Logger {
  const paths = REDACTED_FIELDS.filter((f) => !(options.logMessageText && (f === 'text' || f === 'body' || f === 'caption')));
  const redact = { paths: [...paths, ...paths.map((p) => `*.${p}`)], censor: '[redacted]' };
  const pretty = options.pretty ?? (options.destination === undefined && process.stderr.isTTY === true);
  if (pretty) {
    // pino-pretty as a synchronous stream, not a worker transport: no extra thread, nothing lost on exit.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const prettyStream = require('pino-pretty')({ destination: 2, sync: true, colorize: true, ignore: 'pid,hostname' });
    return pino({ level: options.level, redact }, prettyStream);
  }
  return pino({ level: options.level, redact }, options.destination ?? pino.destination({ dest: 2, sync: true }));
}

/** A chat id safe to log: the last four digits of a phone number, nothing else ("…4567"). */
export function maskChat(chat: string): string {
  const digits = chat.replace(/\D/g, '');
  if (digits.length >= 4) return `…${digits.slice(-4)}`;
  return chat.length <= 4 ? chat : `…${chat.slice(-4)}`;
}

/** Text safe to log when LOG_MESSAGE_TEXT=true: phone numbers masked, A-numbers redacted. */
export function scrubText(text: string): string {
  return text
    .replace(/\bA[-\s]?\d{3}[-\s]?\d{3}[-\s]?\d{2,3}\b/gi, '[A-number]')
    .replace(/\+?\d[\d\s().-]{7,}\d/g, (m) => maskChat(m));
}

/**
 * A message id safe to log: a short hash. WhatsApp Cloud API ids (`wamid.…`) base64-decode to the sender's full
 * number, so the raw id never reaches the log; the same id always gives the same reference, to follow it across lines.
 */
export function messageRef(id: string): string {
  return createHash('sha256').update(id, 'utf8').digest('hex').slice(0, 12);
}
