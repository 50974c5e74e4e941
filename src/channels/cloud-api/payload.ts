/**
 * Mapping Cloud API webhook payloads to our own vocabulary. Nothing past this file sees Meta's objects: a message
 * becomes an {@link InboundMessage}, a status update a {@link DeliveryStatus}, and anything else is counted and dropped.
 */
import type { InboundMessage, MessageType } from '../../dialogue/types';
import { baseType, cleanFilename } from '../../media';

/** A delivery update for a message we sent (sent, delivered, read, failed). */
export interface DeliveryStatus {
  /** The wamid Meta gave the sent message. */
  readonly messageId: string;
  readonly status: string;
  /** The recipient's WhatsApp id (phone digits). */
  readonly recipient: string;
  readonly at: Date;
  /** The Graph error code when the status is `failed`. */
  readonly errorCode?: number;
}

/** An error Meta reported in a webhook (`value.errors`), codes only. */
export interface WebhookError {
  readonly code?: number;
  readonly title?: string;
}

/** The file a message carries, as the webhook names it: Meta keeps it for us to download by its media id. */
export interface MediaRef {
  readonly mediaId: string;
  /** As the webhook reported it, without parameters ("audio/ogg"). */
  readonly mimeType?: string;
  /** Documents only: the file name the client's phone gave it. */
  readonly filename?: string;
}

/** Everything usable in one webhook body, in payload order, duplicates of a message id removed. */
export interface WebhookEvents {
  readonly messages: InboundMessage[];
  /** The file each message with one carries, by message id. */
  readonly media: Map<string, MediaRef>;
  readonly statuses: DeliveryStatus[];
  readonly errors: WebhookError[];
  /** Entries that are not for us: other fields, other business numbers, reactions, system notices, malformed. */
  readonly ignored: number;
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const num = (v: unknown): number | undefined => {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
};

/** A WhatsApp id we can answer with `to`: the sender's phone number digits. */
const WA_ID = /^\d{5,20}$/;
/** Row and button ids we set ourselves: the number the client would otherwise type. */
const OUR_CHOICE_ID = /^[1-9]\d?$/;

/** Message types that carry no words of their own, mapped to ours. */
const WORDLESS_TYPES: Readonly<Record<string, MessageType>> = {
  audio: 'voice',
  sticker: 'sticker',
  location: 'location',
  contacts: 'contact',
};

/** Message types whose content is a file (the payload under the type's key holds its media `id` and `mime_type`). */
const WITH_FILE = new Set(['audio', 'image', 'video', 'document', 'sticker']);
/** Graph ids are digits; anything else would change the path of the media request. */
const MEDIA_ID = /^[A-Za-z0-9_-]{1,128}$/;

/** Types that are not something the client said: never a turn. */
const NOT_FOR_US = new Set(['reaction', 'system', 'request_welcome']);

/** The words of an interactive reply: our numeric id when it is one of our numbered choices, else what the client saw. */
function interactiveText(interactive: Obj): string | undefined {
  const kind = str(interactive.type);
  const reply = kind === 'list_reply' || kind === 'button_reply' ? interactive[kind] : undefined;
  if (!isObj(reply)) return undefined;
  const id = str(reply.id)?.trim();
  if (id && OUR_CHOICE_ID.test(id)) return id;
  return str(reply.title) ?? '';
}

/** The profile name Meta sent for `waId` (or the only contact when there is one). */
function profileName(contacts: unknown, waId: string): string | undefined {
  const all = list(contacts).filter(isObj);
  const contact = all.find((c) => c.wa_id === waId) ?? (all.length === 1 ? all[0] : undefined);
  const profile = contact?.profile;
  const name = isObj(profile) ? str(profile.name)?.trim() : undefined;
  return name ? name.slice(0, 100) : undefined;
}

/** What the client said and how, or undefined when the message is not something to answer. */
function content(message: Obj): { text: string; type: MessageType } | undefined {
  const type = str(message.type) ?? 'unsupported';
  if (NOT_FOR_US.has(type)) return undefined;
  const body = message[type];
  switch (type) {
    case 'text':
      return { text: isObj(body) ? (str(body.body) ?? '') : '', type: 'text' };
    case 'interactive': {
      const text = isObj(body) ? interactiveText(body) : undefined;
      return text === undefined ? { text: '', type: 'other' } : { text, type: 'text' };
    }
    case 'button':
      return { text: isObj(body) ? (str(body.text) ?? str(body.payload) ?? '') : '', type: 'text' };
    case 'image':
    case 'video':
    case 'document':
      return { text: isObj(body) ? (str(body.caption) ?? '') : '', type };
    default:
      return { text: '', type: WORDLESS_TYPES[type] ?? 'other' };
  }
}

/** The file a message carries (voice note, audio, image, video, document, sticker), or undefined when none. Never throws. */
export function mediaRef(message: unknown): MediaRef | undefined {
  if (!isObj(message)) return undefined;
  const type = str(message.type);
  const body = type && WITH_FILE.has(type) ? message[type] : undefined;
  if (!isObj(body)) return undefined;
  const mediaId = str(body.id)?.trim();
  if (!mediaId || !MEDIA_ID.test(mediaId)) return undefined;
  const mimeType = str(body.mime_type) ? baseType(str(body.mime_type)!) : undefined;
  const filename = type === 'document' ? cleanFilename(str(body.filename)) : undefined;
  return { mediaId, ...(mimeType ? { mimeType } : {}), ...(filename ? { filename } : {}) };
}

/**
 * Maps one entry of `value.messages` (with the `contacts` array of the same `value`, for the name) to our message,
 * or undefined when it is not for us: reactions, system notices, welcome requests, entries without an id or with a
 * sender we cannot answer by phone number. id = wamid; chat = `from` (wa_id digits); a file's media id and type are
 * carried as `mediaId` and `mimeType` (the file itself is downloaded by the channel). Never throws.
 */
export function toInboundMessage(message: unknown, contacts: unknown, receivedAt: Date): InboundMessage | undefined {
  if (!isObj(message)) return undefined;
  const id = str(message.id);
  const from = str(message.from);
  if (!id || !from || !WA_ID.test(from)) return undefined;
  const said = content(message);
  if (!said) return undefined;
  const name = profileName(contacts, from);
  const media = mediaRef(message);
  return {
    id, chat: from, text: said.text, type: said.type, receivedAt, ...(name ? { name } : {}),
    ...(media ? { mediaId: media.mediaId, ...(media.mimeType ? { mimeType: media.mimeType } : {}) } : {}),
  };
}

/** Maps one entry of `value.statuses`, or undefined when it lacks an id, a status or a recipient. */
export function toDeliveryStatus(status: unknown, fallbackAt: Date): DeliveryStatus | undefined {
  if (!isObj(status)) return undefined;
  const messageId = str(status.id);
  const state = str(status.status);
  const recipient = str(status.recipient_id);
  if (!messageId || !state || !recipient) return undefined;
  const seconds = num(status.timestamp);
  const error = list(status.errors).find(isObj);
  const errorCode = error ? num(error.code) : undefined;
  return { messageId, status: state, recipient, at: seconds !== undefined ? new Date(seconds * 1000) : fallbackAt, ...(errorCode !== undefined ? { errorCode } : {}) };
}

/**
 * Reads a whole webhook body: every `entry[].changes[]` of field `messages` addressed to `phoneNumberId` (or carrying
 * no metadata). Messages keep payload order; a message id repeated within the body is kept once. Never throws.
 */
export function readWebhook(body: unknown, phoneNumberId: string, receivedAt: Date): WebhookEvents {
  const events: WebhookEvents = { messages: [], media: new Map(), statuses: [], errors: [], ignored: 0 };
  const seen = new Set<string>();
  let ignored = 0;
  const changes = isObj(body) ? list(body.entry).filter(isObj).flatMap((e) => list(e.changes)) : [];
  if (!isObj(body) || body.object !== 'whatsapp_business_account') ignored++;
  for (const change of changes) {
    const value = isObj(change) ? change.value : undefined;
    if (!isObj(change) || change.field !== 'messages' || !isObj(value)) {
      ignored++;
      continue;
    }
    const metadata = value.metadata;
    const target = isObj(metadata) ? str(metadata.phone_number_id) : undefined;
    if (target !== undefined && target !== phoneNumberId) {
      ignored++;
      continue;
    }
    for (const raw of list(value.messages)) {
      const message = toInboundMessage(raw, value.contacts, receivedAt);
      if (!message || seen.has(message.id)) ignored++;
      else {
        seen.add(message.id);
        events.messages.push(message);
        const media = mediaRef(raw);
        if (media) events.media.set(message.id, media);
      }
    }
    for (const raw of list(value.statuses)) {
      const status = toDeliveryStatus(raw, receivedAt);
      if (status) events.statuses.push(status);
      else ignored++;
    }
    for (const raw of list(value.errors).filter(isObj)) events.errors.push({ code: num(raw.code), title: str(raw.title)?.slice(0, 120) });
  }
  return { ...events, ignored };
}
