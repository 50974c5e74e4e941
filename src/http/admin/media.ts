/**
 * Serving what clients sent (only behind a signed-in guard): the content type only from the allow-list, voice notes,
 * photos and videos inline (played and shown in the transcript), anything else as a download, never cached, and
 * sandboxed so no file can run as a page of the dashboard.
 */
import type { Response } from 'express';
import { baseType, MEDIA_TYPES } from '../../media';
import type { MediaRecord } from '../../store';

const INLINE = /^(audio|image|video)\//;

/** A file name safe for a header: letters, digits, dots, dashes and underscores. */
function safeName(media: MediaRecord): string {
  const ext = media.mimeType.split('/')[1]?.replace(/[^a-z0-9]/gi, '').slice(0, 8) || 'bin';
  const name = media.filename?.normalize('NFKD').replace(/[^\w.-]+/g, '_').replace(/^[._]+/, '').slice(0, 80);
  return name || `file-${media.id}.${ext}`;
}

export function sendMedia(res: Response, media: MediaRecord): void {
  const type = baseType(media.mimeType);
  const allowed = MEDIA_TYPES.has(type);
  const inline = allowed && INLINE.test(type);
  res.set({
    'Content-Type': allowed ? type : 'application/octet-stream',
    'Content-Disposition': `${inline ? 'inline' : 'attachment'}; filename="${safeName(media)}"`,
    'Cache-Control': 'private, no-store',
    'Content-Security-Policy': "default-src 'none'; sandbox",
    'X-Content-Type-Options': 'nosniff',
  });
  res.send(media.data);
}
