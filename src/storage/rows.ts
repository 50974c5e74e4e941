/**
 * Rows as both backends return them (snake_case columns; times as ISO text from SQLite or Date from PostgreSQL), and
 * their mapping to the port's records.
 */
import { createHash } from 'node:crypto';
import type { CaseDetails, HandoffKind, InboundMessage, Interval, MessageType, TurnContext } from '../dialogue/types';
import type { Lang } from '../nlu/types';
import type {
  AnswerSample, AuditEntry, ClientSummary, MediaInfo, MediaRecord, NoteRecord, StaffAccount, StaffCredentials, TranscriptEntry,
  ConsultationRecord, ConsultationStatus, FailedReply, HandoffRecord, HandoffResolution, InboxItem, InboxWork, NotificationRecord,
  OutboxEntry,
} from '../store';

type Time = string | Date;

export interface HandoffRow {
  id: number | string; chat: string; kind: HandoffKind; priority: number; status: 'open' | 'resolved'; lang: Lang; name: string | null;
  summary: string; details: string | CaseDetails | null; consultation_id: number | string | null; claimed_by: string | null; created_at: Time;
  activity_at: Time; last_staff_at: Time | null; resolved_at: Time | null; resolution: HandoffResolution | null; replied_at?: Time | null;
}
export interface ConsultationRow {
  id: number | string; chat: string; status: ConsultationStatus; mode: 'phone' | 'office'; name: string | null; topic: string | null;
  lang: Lang; start_at: Time | null; end_at: Time | null; preference: string | null; note: string | null;
  created_at: Time; updated_at: Time;
}
export interface NotificationRow {
  id: number | string; handoff_id: number | string | null; event: string; subject: string | null; priority: number; recipient: string | null;
  text: string; created_at: Time; not_before: Time; next_attempt_at: Time; attempts: number; last_error: string | null;
  sent_at: Time | null; given_up_at: Time | null;
}
export interface OutboxRow {
  id: number | string; chat: string; text: string; attempts: number; created_at: Time; last_inbound_at: Time | null;
}
export interface FailedRow {
  id: number | string; chat: string; text: string; attempts: number; last_error: string | null; created_at: Time; failed_at: Time;
}
export interface InboxRow {
  seq: number | string; chat: string; kind: InboxWork['kind']; payload: string | Record<string, unknown>; not_before: Time;
}

/** A time column as ISO-8601 UTC text ("…T15:00:00.000Z"), whichever way the database wrote it. */
export const iso = (v: Time): string => (v instanceof Date ? v.toISOString() : v.endsWith('Z') && v.length === 24 ? v : new Date(v).toISOString());
const optIso = (v: Time | null): string | undefined => (v === null ? undefined : iso(v));
const opt = <T>(v: T | null): T | undefined => (v === null ? undefined : v);
const num = (v: number | string): number => Number(v);
const json = <T>(v: string | T | null): T | undefined => (v === null ? undefined : typeof v === 'string' ? (JSON.parse(v) as T) : v);

export function toHandoff(r: HandoffRow): HandoffRecord {
  return {
    id: num(r.id), chat: r.chat, kind: r.kind, priority: r.priority, status: r.status, lang: r.lang, name: opt(r.name),
    summary: r.summary, details: json<CaseDetails>(r.details), consultationId: r.consultation_id === null ? undefined : num(r.consultation_id),
    claimedBy: opt(r.claimed_by), createdAt: iso(r.created_at), activityAt: iso(r.activity_at), lastStaffAt: optIso(r.last_staff_at),
    ...(r.replied_at ? { repliedAt: iso(r.replied_at) } : {}),
    resolvedAt: optIso(r.resolved_at), resolution: opt(r.resolution),
  };
}

export function toConsultation(r: ConsultationRow): ConsultationRecord {
  return {
    id: num(r.id), chat: r.chat, status: r.status, mode: r.mode, name: opt(r.name), topic: opt(r.topic), lang: r.lang,
    slot: r.start_at && r.end_at ? { start: iso(r.start_at), end: iso(r.end_at) } : undefined, preference: opt(r.preference),
    note: opt(r.note), createdAt: iso(r.created_at), updatedAt: iso(r.updated_at),
  };
}

/**
 * What a turn knows of its chat, from its rows: the open case (or the last one resolved, when none is open), its
 * upcoming consultations, and every time already held.
 */
export function toTurnContext(open: HandoffRow | undefined, past: HandoffRow | undefined, mine: readonly ConsultationRow[], busy: Interval[]): TurnContext {
  const handoff = open ? toHandoff(open) : undefined;
  const pastCase = !handoff && past ? toHandoff(past) : undefined;
  return {
    handoff: handoff && { id: handoff.id, kind: handoff.kind, createdAt: handoff.createdAt, activityAt: handoff.activityAt, lastStaffAt: handoff.lastStaffAt, details: handoff.details },
    pastCase: pastCase?.resolvedAt ? { kind: pastCase.kind, resolvedAt: pastCase.resolvedAt, details: pastCase.details } : undefined,
    consultations: mine.map((r) => {
      const c = toConsultation(r);
      return { id: c.id, status: c.status as 'requested' | 'confirmed', mode: c.mode, slot: c.slot, preference: c.preference };
    }),
    busy,
  };
}

export function toNotification(r: NotificationRow): NotificationRecord {
  return {
    id: num(r.id), handoffId: r.handoff_id === null ? undefined : num(r.handoff_id), event: r.event, subject: opt(r.subject),
    priority: r.priority, recipient: opt(r.recipient), text: r.text, createdAt: iso(r.created_at), notBefore: iso(r.not_before),
    nextAttemptAt: iso(r.next_attempt_at), attempts: r.attempts, lastError: opt(r.last_error), sentAt: optIso(r.sent_at),
    givenUpAt: optIso(r.given_up_at),
  };
}

export function toOutbox(r: OutboxRow): OutboxEntry {
  return { id: num(r.id), chat: r.chat, text: r.text, attempts: r.attempts, createdAt: iso(r.created_at), lastInboundAt: optIso(r.last_inbound_at) };
}

export function toFailed(r: FailedRow): FailedReply {
  return { id: num(r.id), chat: r.chat, text: r.text, attempts: r.attempts, lastError: opt(r.last_error), createdAt: iso(r.created_at), failedAt: iso(r.failed_at) };
}

/**
 * Inbox work as stored: the message with its time as text. An attachment's bytes are never part of it: the backend
 * keeps them in `media` first (linked by the message id), and the turn links them to the transcript line.
 */
export function workPayload(work: InboxWork): string {
  if (work.kind !== 'message') return JSON.stringify(work);
  const { attachment: _bytes, ...message } = work.message;
  return JSON.stringify({ ...work, message: { ...message, receivedAt: message.receivedAt.toISOString() } });
}

export function toInboxItem(r: InboxRow): InboxItem {
  const stored = json<Record<string, unknown>>(r.payload)!;
  let work: InboxWork;
  if (r.kind === 'message') {
    const m = stored.message as Record<string, unknown>;
    const message: InboundMessage = {
      id: String(m.id), chat: String(m.chat), text: typeof m.text === 'string' ? m.text : '', type: (m.type as MessageType) ?? 'text',
      receivedAt: new Date(String(m.receivedAt)),
      ...(typeof m.name === 'string' ? { name: m.name } : {}),
      ...(typeof m.mediaId === 'string' ? { mediaId: m.mediaId } : {}),
      ...(typeof m.mimeType === 'string' ? { mimeType: m.mimeType } : {}),
    };
    work = { kind: 'message', message };
  } else if (r.kind === 'staff') {
    work = { kind: 'staff', chat: r.chat, text: String(stored.text ?? ''), at: String(stored.at) };
  } else {
    work = { kind: 'release', chat: r.chat };
  }
  return { seq: num(r.seq), chat: r.chat, work, notBefore: iso(r.not_before) };
}

/** The chat an item of inbox work belongs to. */
export function workChat(work: InboxWork): string {
  return work.kind === 'message' ? work.message.chat : work.chat;
}

/** Written in place of a chat id that was erased. */
export const ERASED_CHAT = 'erased';

/**
 * How a channel's message id is stored: hashed. A Cloud API id (`wamid.…`) base64-decodes to the sender's full number,
 * so the raw id is never kept; de-duplication compares hashes.
 */
export function messageKey(id: string): string {
  return createHash('sha256').update(id, 'utf8').digest('base64url').slice(0, 32);
}

// ── the staff desk ──────────────────────────────────────────────────────────────────────────────────────────────────

export interface StaffRow { id: number | string; name: string; role: 'admin' | 'staff'; password_hash: string; created_at: Time }
export interface AuditRow {
  id: number | string; at: Time; actor: string; action: string; chat: string | null; handoff_id: number | string | null;
  consultation_id: number | string | null; detail: string | null;
}
export interface NoteRow { id: number | string; chat: string; handoff_id: number | string | null; author: string; text: string; created_at: Time }
export interface MediaRow { id: number | string; chat: string; mime_type: string; size: number; filename: string | null; data: Buffer; created_at: Time }
export interface ClientRow {
  chat: string; name: string | null; lang: Lang; created_at: Time; last_seen_at: Time; last_inbound_at: Time | null; open_kind: HandoffKind | null;
  match?: string | null;
}
export interface AnswerRow {
  id: number | string; chat: string; text: string; intent: string; confidence: number; lang: Lang; created_at: Time;
  marked_by: string | null; marked_at: Time | null;
}
export interface TranscriptRow {
  id: number | string; direction: 'in' | 'out'; author: 'client' | 'bot' | 'staff'; type: string; text: string; intent: string | null; at: Time;
  media_id: number | string | null; mime_type: string | null; size: number | null; filename: string | null;
}

export const toStaff = (r: StaffRow): StaffAccount => ({ id: num(r.id), name: r.name, role: r.role, createdAt: iso(r.created_at) });
export const toCredentials = (r: StaffRow): StaffCredentials => ({ ...toStaff(r), passwordHash: r.password_hash });

export function toAudit(r: AuditRow): AuditEntry {
  return {
    id: num(r.id), at: iso(r.at), actor: r.actor, action: r.action, ...(r.chat !== null ? { chat: r.chat } : {}),
    ...(r.handoff_id !== null ? { handoffId: num(r.handoff_id) } : {}), ...(r.consultation_id !== null ? { consultationId: num(r.consultation_id) } : {}),
    ...(r.detail !== null ? { detail: r.detail } : {}),
  };
}

export function toNote(r: NoteRow): NoteRecord {
  return { id: num(r.id), chat: r.chat, ...(r.handoff_id !== null ? { handoffId: num(r.handoff_id) } : {}), author: r.author, text: r.text, at: iso(r.created_at) };
}

export function toMedia(r: MediaRow): MediaRecord {
  return { id: num(r.id), chat: r.chat, mimeType: r.mime_type, size: r.size, ...(r.filename !== null ? { filename: r.filename } : {}), data: r.data, at: iso(r.created_at) };
}

export function toClient(r: ClientRow): ClientSummary {
  return {
    chat: r.chat, ...(r.name ? { name: r.name } : {}), lang: r.lang, createdAt: iso(r.created_at), lastSeenAt: iso(r.last_seen_at),
    ...(r.last_inbound_at ? { lastInboundAt: iso(r.last_inbound_at) } : {}), ...(r.open_kind ? { openHandoff: r.open_kind } : {}),
    ...(r.match ? { match: r.match } : {}),
  };
}

export function toAnswer(r: AnswerRow): AnswerSample {
  return {
    messageId: num(r.id), chat: r.chat, text: r.text, intent: r.intent, confidence: Number(r.confidence), lang: r.lang, at: iso(r.created_at),
    ...(r.marked_by !== null ? { markedBy: r.marked_by } : {}), ...(r.marked_at !== null ? { markedAt: iso(r.marked_at) } : {}),
  };
}

export function toTranscript(r: TranscriptRow): TranscriptEntry {
  const media: MediaInfo | undefined = r.media_id !== null && r.mime_type !== null
    ? { id: num(r.media_id), mimeType: r.mime_type, size: r.size ?? 0, ...(r.filename !== null ? { filename: r.filename } : {}) }
    : undefined;
  return { id: num(r.id), direction: r.direction, author: r.author, type: r.type, text: r.text, intent: r.intent, at: iso(r.at), ...(media ? { media } : {}) };
}

/** A search for LIKE: `%text%` with the wildcards in it taken literally (escape character `\`). */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The digits of a search, when it reads as (part of) a phone number: "+1 (555) 123-0002" → "15551230002". */
export function phoneDigits(text: string): string | undefined {
  return /^[\d\s()+.-]{4,}$/.test(text) ? text.replace(/\D/g, '') || undefined : undefined;
}
