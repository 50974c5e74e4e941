/**
 * What a client sent on WhatsApp Web — voice note, photo, video, file, sticker — downloaded through whatsapp-web.js
 * (`Message.downloadMedia`), within the size limit and the allowed types. A message that announces a type not allowed
 * or a size over the limit is not downloaded at all; a download whose base64 is already too long is not decoded.
 */
import { baseType, cleanFilename, mediaVerdict, type MediaResult } from '../../media';
import type { WaMessage } from './client';

/** whatsapp-web.js message types that carry a file. */
const FILE_TYPES = new Set(['ptt', 'audio', 'image', 'video', 'document', 'sticker']);

/** Whether the message carries a file the channel can download. */
function carriesFile(m: WaMessage): boolean {
  return m.hasMedia === true && typeof m.downloadMedia === 'function' && FILE_TYPES.has(m.type);
}

/**
 * Downloads the message's file within `timeoutMs`: the attachment, or why there is none (refused, gone from WhatsApp,
 * the browser failed, out of time); undefined when the message carries no file. Never rejects.
 */
export async function downloadFile(m: WaMessage, maxBytes: number, timeoutMs: number): Promise<MediaResult | undefined> {
  if (!carriesFile(m)) return undefined;
  const announced = m._data;
  if (typeof announced?.mimetype === 'string') {
    const verdict = mediaVerdict(announced.mimetype, 0, maxBytes);
    if (verdict !== 'ok') return { ok: false, reason: verdict };
  }
  if (typeof announced?.size === 'number' && announced.size > maxBytes) return { ok: false, reason: 'too-large' };
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
    timer.unref();
  });
  try {
    const media = await Promise.race([m.downloadMedia!(), late]);
    if (media === 'timeout') return { ok: false, reason: 'timeout' };
    if (!media || typeof media.data !== 'string' || typeof media.mimetype !== 'string') return { ok: false, reason: 'unavailable', cause: 'gone' };
    // The decoded size, from the base64's length: nothing is decoded when it is too large.
    const verdict = mediaVerdict(media.mimetype, Buffer.byteLength(media.data, 'base64'), maxBytes);
    if (verdict !== 'ok') return { ok: false, reason: verdict };
    const data = Buffer.from(media.data, 'base64');
    const filename = cleanFilename(media.filename);
    return { ok: true, attachment: { mimeType: baseType(media.mimetype), data, ...(filename ? { filename } : {}) } };
  } catch (err) {
    return { ok: false, reason: 'unavailable', cause: err instanceof Error ? err.name : 'error' };
  } finally {
    clearTimeout(timer);
  }
}
