/**
 * Rows as both backends return them (snake_case columns; times as ISO text from SQLite or Date from PostgreSQL), and
 * their mapping to the port's records.
 */
import { createHash } from 'node:crypto';
import type { CaseDetails, HandoffKind, InboundMessage, MessageType } from '../dialogue/types';
import type { Lang } from '../nlu/types';
import type {
  ConsultationRecord, ConsultationStatus, FailedReply, HandoffRecord, HandoffResolution, InboxItem, InboxWork, NotificationRecord,
  OutboxEntry,
} from '../store';

type Time = string | Date;

export interface HandoffRow {
  id: number | string; chat: string; kind: HandoffKind; priority: number; status: 'open' | 'resolved'; lang: Lang; name: string | null;
  summary: string; details: string | CaseDetails | null; consultation_id: number | string | null; claimed_by: string | null; created_at: Time;
  activity_at: Time; last_staff_at: Time | null; resolved_at: Time | null; resolution: HandoffResolution | null;
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

/** Inbox work as stored: the message with its time as text. */
export function workPayload(work: InboxWork): string {
  return JSON.stringify(work.kind === 'message' ? { ...work, message: { ...work.message, receivedAt: work.message.receivedAt.toISOString() } } : work);
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
