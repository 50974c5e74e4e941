/**
 * From whatsapp-web.js messages to Puente's {@link InboundMessage}, in one place: which chats Puente answers at all, what
 * type a message is, and which text it carries (captions count as text).
 */
import type { InboundMessage, MessageType } from '../../dialogue/types';
import { baseType, type Attachment } from '../../media';
import type { WaMessage } from './client';

/** Kinds of chat id WhatsApp uses. */
export type ChatKind = 'person' | 'lid' | 'group' | 'status' | 'newsletter' | 'broadcast' | 'other';

/** What kind of chat an id names: `…@c.us` a person, `…@lid` a person behind a privacy id, `…@g.us` a group… */
export function chatKind(id: string): ChatKind {
  if (id === 'status@broadcast') return 'status';
  if (id.endsWith('@c.us') || id.endsWith('@s.whatsapp.net')) return 'person';
  if (id.endsWith('@lid')) return 'lid';
  if (id.endsWith('@g.us')) return 'group';
  if (id.endsWith('@newsletter')) return 'newsletter';
  if (id.endsWith('@broadcast')) return 'broadcast';
  return 'other';
}

/** whatsapp-web.js message types mapped to ours; anything unlisted is `other`. */
const TYPES: Readonly<Record<string, MessageType>> = {
  chat: 'text', ptt: 'voice', audio: 'voice', image: 'image', album: 'image', video: 'video', document: 'document',
  sticker: 'sticker', location: 'location', vcard: 'contact', multi_vcard: 'contact',
};

/** Types that are not messages from a person (notifications, protocol, reactions, revoked…): never answered. */
const SILENT = new Set(['e2e_notification', 'notification', 'notification_template', 'gp2', 'group_notification', 'protocol',
  'revoked', 'reaction', 'call_log', 'ciphertext', 'debug', 'broadcast_notification', 'poll_creation', 'unknown']);

/** Why an incoming message is not a turn, or undefined when it is one. */
export function ignoreReason(m: WaMessage): string | undefined {
  if (m.fromMe || m.id.fromMe) return 'from-me';
  if (m.isStatus) return 'status';
  const kind = chatKind(m.from);
  if (kind !== 'person' && kind !== 'lid') return kind;
  if (SILENT.has(m.type)) return 'system';
  return undefined;
}

/**
 * Maps a message from a client to an {@link InboundMessage}. `chat` is the id replies go to (the phone-number id when a
 * `@lid` sender could be resolved). Media captions are the text; a voice note, sticker or photo without caption has none.
 * `attachment` is the file the channel downloaded; a message with media carries its type as `mimeType` either way.
 */
export function toInbound(m: WaMessage, chat: string, receivedAt: Date, attachment?: Attachment): InboundMessage {
  const type = Object.hasOwn(TYPES, m.type) ? TYPES[m.type] : 'other';
  const text = typeof m.body === 'string' && (type === 'text' || type === 'image' || type === 'video' || type === 'document') ? m.body : '';
  const name = m._data?.notifyName?.trim() || undefined;
  const announced = m.hasMedia && typeof m._data?.mimetype === 'string' && m._data.mimetype.trim() ? baseType(m._data.mimetype) : undefined;
  const mimeType = attachment?.mimeType ?? announced;
  return {
    id: `wa:${m.id._serialized}`, chat, text, type, receivedAt, ...(name ? { name } : {}),
    ...(mimeType ? { mimeType } : {}), ...(attachment ? { attachment } : {}),
  };
}
