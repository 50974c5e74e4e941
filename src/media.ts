/**
 * What a client sends besides words — voice notes, photos, files — as Puente keeps them: downloaded by the channel,
 * within a size limit and a list of allowed types, kept under the retention and erasure rules, and shown to staff
 * only in a signed-in session.
 */

/** A voice note, photo, video or file a channel downloaded from a client's message. */
export interface Attachment {
  /** The content type as the channel reported it, lower case, without parameters ("audio/ogg"). */
  readonly mimeType: string;
  readonly data: Buffer;
  /** The file name the client's phone gave it, when there is one. */
  readonly filename?: string;
}

/** Content types Puente keeps (WhatsApp's voice notes, photos, videos and common documents). */
export const MEDIA_TYPES: ReadonlySet<string> = new Set([
  'audio/ogg', 'audio/mpeg', 'audio/mp4', 'audio/aac', 'audio/amr', 'audio/wav', 'audio/webm',
  'image/jpeg', 'image/png', 'image/webp', 'image/heic',
  'video/mp4', 'video/3gpp',
  'application/pdf', 'text/plain',
  'application/msword', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
]);

/** The content type without parameters, lower case ("audio/ogg; codecs=opus" → "audio/ogg"). */
export function baseType(mimeType: string): string {
  return mimeType.split(';')[0].trim().toLowerCase();
}

/** Whether an attachment of this type and size may be kept: `ok`, or why not. */
export function mediaVerdict(mimeType: string, bytes: number, maxBytes: number): 'ok' | 'too-large' | 'type-not-allowed' {
  if (!MEDIA_TYPES.has(baseType(mimeType))) return 'type-not-allowed';
  if (bytes > maxBytes) return 'too-large';
  return 'ok';
}

/** Why a channel did not keep a client's file: refused by the rules (type, size), or not downloaded (gone, failed, late). */
export type MediaRefusal = 'type-not-allowed' | 'too-large' | 'unavailable' | 'timeout';

/** A file a channel downloaded, or why there is none (`cause`: a short detail safe to log, when the channel has one). */
export type MediaResult =
  | { readonly ok: true; readonly attachment: Attachment }
  | { readonly ok: false; readonly reason: MediaRefusal; readonly cause?: string };

/** How a file not kept is logged: a failed or late download is a warning; a file the rules refuse is information. */
export function refusalLogLevel(reason: MediaRefusal): 'warn' | 'info' {
  return reason === 'unavailable' || reason === 'timeout' ? 'warn' : 'info';
}

/**
 * The file name a client's phone gave a file, safe to keep and show: the last path segment, without control characters,
 * at most 200 characters; undefined when nothing is left.
 */
export function cleanFilename(name: string | null | undefined): string | undefined {
  if (typeof name !== 'string') return undefined;
  // eslint-disable-next-line no-control-regex
  const last = name.split(/[/\\]/).pop()!.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '').trim();
  const clean = [...last].slice(0, 200).join('').trim();
  return clean && clean !== '.' && clean !== '..' ? clean : undefined;
}
