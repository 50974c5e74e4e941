/**
 * The storage port: what Puente needs from a database, as records and asynchronous operations. SQLite
 * (`storage/sqlite`, the zero-setup default) and PostgreSQL (`storage/postgres`, for several servers) implement it,
 * and one contract suite (test/storage) runs against both.
 *
 * Storage only stores. The rules — how a handoff opens or escalates, which consultation status changes are allowed,
 * what erasure removes and tells staff, what the retention purge keeps — are decided in the domain (`handoff/`,
 * `booking/`, `privacy/`, `turn/apply.ts`) and applied through these operations, so no backend repeats them.
 *
 * A turn runs inside {@link Store.withChat}: one transaction that holds the chat's lock, so one chat's messages are
 * handled one at a time and in order on any number of servers.
 */
import type {
  CaseDetails, ConsultationMode, ConversationState, Effect, HandoffKind, InboundMessage, Interval, TurnContext,
} from './dialogue/types';
import type { Lang } from './nlu/types';

// ── records ─────────────────────────────────────────────────────────────────────────────────────────────────────────

/** Handoff kinds in priority order: a lower number is served first. */
export const HANDOFF_PRIORITY: Readonly<Record<HandoffKind, number>> = { urgent: 0, human: 1, consultation: 2, advice: 3 };

/** How a handoff ended. */
export type HandoffResolution = 'staff' | 'staff-resumed-bot' | 'client-withdrew' | 'client-erased' | 'consultation-closed' | 'idle';

/** A handoff as staff see it. */
export interface HandoffRecord {
  readonly id: number;
  readonly chat: string;
  readonly kind: HandoffKind;
  readonly priority: number;
  readonly status: 'open' | 'resolved';
  readonly lang: Lang;
  readonly name?: string;
  readonly summary: string;
  readonly details?: CaseDetails;
  readonly consultationId?: number;
  readonly claimedBy?: string;
  readonly createdAt: string;
  readonly activityAt: string;
  readonly lastStaffAt?: string;
  /** When staff first wrote to the client in this case (the waiting time stops there). */
  readonly repliedAt?: string;
  readonly resolvedAt?: string;
  readonly resolution?: HandoffResolution;
}

/** Where a consultation stands. */
export type ConsultationStatus = 'requested' | 'confirmed' | 'cancelled' | 'completed' | 'no-show';

/** A consultation request. */
export interface ConsultationRecord {
  readonly id: number;
  readonly chat: string;
  readonly status: ConsultationStatus;
  readonly mode: ConsultationMode;
  readonly name?: string;
  readonly topic?: string;
  readonly lang: Lang;
  readonly slot?: Interval;
  readonly preference?: string;
  readonly note?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** A transcript line. */
export interface TranscriptEntry {
  /** The line's id (staff mark answers by it). */
  readonly id?: number;
  /** The voice note, photo or file the line carries, when it was kept. */
  readonly media?: MediaInfo;
  readonly direction: 'in' | 'out';
  readonly author: 'client' | 'bot' | 'staff';
  readonly type: string;
  readonly text: string;
  readonly intent: string | null;
  readonly at: string;
}

/** A transcript line to write. */
export interface NewMessage {
  readonly direction: 'in' | 'out';
  readonly author: 'client' | 'bot' | 'staff';
  readonly messageId?: string;
  readonly type: string;
  readonly text: string;
  readonly intent?: string | null;
  readonly confidence?: number | null;
  readonly lang?: Lang | null;
  readonly at: string;
  /** The kept voice note, photo or file of this line ({@link ChatTx.addMedia}). */
  readonly mediaId?: number;
}

/** A recorded effect. */
export interface EffectRecord {
  readonly id: number;
  readonly chat: string;
  readonly effect: Effect;
  readonly at: string;
}

/** A reply waiting to be (or already) sent. */
export interface OutboxEntry {
  readonly id: number;
  readonly chat: string;
  readonly text: string;
  /** Send attempts so far (before this one). */
  readonly attempts: number;
  readonly createdAt: string;
  /** When the client last wrote (Meta's 24-hour customer-service window runs from here), if known. */
  readonly lastInboundAt?: string;
}

/** A reply that could not be delivered, for the dashboard. */
export interface FailedReply {
  readonly id: number;
  readonly chat: string;
  readonly text: string;
  readonly attempts: number;
  readonly lastError?: string;
  readonly createdAt: string;
  readonly failedAt: string;
}

/** Something staff must hear about. */
export type StaffEvent =
  | {
      readonly type: 'handoff';
      readonly handoff: HandoffRecord;
      /** True when an open handoff became more urgent (e.g. human → urgent). */
      readonly escalated: boolean;
      /** True when an emergency was reported again in an open urgent case. */
      readonly again?: boolean;
      readonly consultation?: ConsultationRecord;
    }
  /** New details on an open urgent case. */
  | { readonly type: 'handoff.details'; readonly handoff: HandoffRecord; readonly added: CaseDetails; readonly note?: string }
  | { readonly type: 'consultation.cancelled'; readonly consultation: ConsultationRecord; readonly byErasure: boolean }
  | { readonly type: 'consultation.moved'; readonly consultation: ConsultationRecord };

/** What to send staff about an event: the text, to whom, and not before when (office hours, except urgent). */
export interface NotificationPlan {
  readonly recipients: readonly string[];
  readonly text: string;
  readonly priority: number;
  readonly notBefore: Date;
  /** Notifications about the same thing (one consultation): a newer one replaces an older one still waiting. */
  readonly subject?: string;
}

/** Turns staff events into notifications; called inside the transaction that records the event. */
export type NotificationPlanner = (event: StaffEvent, at: Date) => NotificationPlan;

/** A staff notification to write. */
export interface NewNotification {
  /** The client chat it is about (erasure removes it); undefined for notifications that name no client. */
  readonly chat?: string;
  readonly handoffId?: number;
  readonly event: string;
  readonly subject?: string;
  readonly priority: number;
  /** Staff number; undefined when no number is configured (the record is for the dashboard only). */
  readonly recipient?: string;
  readonly text: string;
  readonly at: string;
  readonly notBefore: string;
}

/** A staff notification and its delivery state. */
export interface NotificationRecord {
  readonly id: number;
  readonly handoffId?: number;
  readonly event: string;
  readonly subject?: string;
  readonly priority: number;
  readonly recipient?: string;
  readonly text: string;
  readonly createdAt: string;
  readonly notBefore: string;
  readonly nextAttemptAt: string;
  readonly attempts: number;
  readonly lastError?: string;
  readonly sentAt?: string;
  readonly givenUpAt?: string;
}

/** Thrown by a write whose consultation time another client already holds; the transaction changed nothing. */
export class SlotTakenError extends Error {
  constructor(readonly slot: Interval) {
    super('that consultation time is already taken');
  }
}

/** Work waiting in the inbox of a chat, handled in order. */
export type InboxWork =
  /** A client's message, stored before the channel acknowledged it. */
  | { readonly kind: 'message'; readonly message: InboundMessage }
  /** Staff wrote in the chat from the linked phone (`#bot` hands it back). */
  | { readonly kind: 'staff'; readonly chat: string; readonly text: string; readonly at: string }
  /** Time to answer messages the flood limit held back. */
  | { readonly kind: 'release'; readonly chat: string };

/** An inbox row. */
export interface InboxItem {
  readonly seq: number;
  readonly chat: string;
  readonly work: InboxWork;
  readonly notBefore: string;
}

/** Everything a turn reads, loaded together. */
export interface TurnLoad {
  /** The conversation state, or undefined for a client never seen. */
  readonly state?: ConversationState;
  readonly context: TurnContext;
  /** The chat has inbox work due (earlier messages to handle first). */
  readonly queued: boolean;
  /** The chat has replies not yet sent (new ones must wait behind them). */
  readonly unsent: boolean;
  /** When a message id was to be claimed with the load: false when it was already handled. */
  readonly claimed: boolean;
}

/** What a turn writes besides its effects, in one go. */
export interface TurnWrite {
  readonly at: Date;
  /** The contact is created or updated: last seen now (and last inbound, for a client's message). */
  readonly contact: { readonly name?: string; readonly lang: Lang; readonly inbound: boolean };
  readonly state: ConversationState;
  readonly messages: readonly NewMessage[];
  /** Replies to queue, in order. */
  readonly replies: readonly string[];
  /** The replies are claimed for this sender at once (it sends them right after the commit). */
  readonly lease?: { readonly owner: string; readonly until: Date };
}

/** A new consultation. */
export interface NewConsultation {
  readonly mode: ConsultationMode;
  readonly name?: string;
  readonly topic?: string;
  readonly lang: Lang;
  readonly slot?: Interval;
  readonly preference?: string;
  readonly at: string;
}

/** Fields of a consultation to change (undefined leaves a field as it is; `null` clears it). */
export interface ConsultationPatch {
  readonly status?: ConsultationStatus;
  readonly slot?: Interval | null;
  readonly preference?: string | null;
  readonly note?: string;
  readonly at: string;
}

/** A new handoff. */
export interface NewHandoff {
  readonly kind: HandoffKind;
  readonly lang: Lang;
  readonly name?: string;
  readonly summary: string;
  readonly details?: CaseDetails;
  readonly consultationId?: number;
  readonly at: string;
  readonly lastStaffAt?: string;
}

/** Fields of a handoff to change. */
export interface HandoffPatch {
  readonly kind?: HandoffKind;
  readonly lang?: Lang;
  readonly name?: string;
  readonly summary?: string;
  readonly details?: CaseDetails;
  readonly consultationId?: number;
  readonly activityAt?: string;
  readonly lastStaffAt?: string;
  /** Set only when not set yet (the first staff reply). */
  readonly repliedAt?: string;
  readonly claimedBy?: string;
  readonly status?: 'resolved';
  readonly resolvedAt?: string;
  readonly resolution?: HandoffResolution;
}

/**
 * What an erasure removes (decided in `privacy/erasure.ts`; applied by the backend, which must also leave nothing
 * recoverable in its files — SQLite `secure_delete` and a WAL checkpoint).
 */
export interface ErasureScope {
  /** Transcript, conversation state, contact (name, language), inbox, outbox, effects, media. */
  readonly personalData: true;
  /** Handoffs of the chat and every staff notification about the chat are deleted. */
  readonly handoffs: 'delete';
  /** Consultations stay for the firm's books with no name, topic, preference or chat. */
  readonly consultations: 'anonymise';
  /** Message ids stay (so a redelivered message is not answered again) with no chat attached. */
  readonly processedIds: 'detach';
  /** Staff's internal notes on the client and their cases are deleted. */
  readonly notes: 'delete';
  /** Audit entries stay (who did what, when) without the chat or any detail. */
  readonly audit: 'detach';
}

/** What the retention purge removes (decided in `privacy/retention.ts`). */
export interface RetentionPlan {
  /** Transcript lines older than this go. */
  readonly messagesBefore: string;
  /** Contacts silent since before this, with no open handoff and no upcoming consultation, are forgotten. */
  readonly contactsSilentBefore: string;
  /** Sent replies, recorded effects, processed message ids and finished notifications older than this go. */
  readonly housekeepingBefore: string;
  /** Resolved handoffs closed before this lose their summary, name and details. */
  readonly redactHandoffsBefore: string;
  /** Cancelled, completed or no-show consultations last changed before this lose topic and preference. */
  readonly redactConsultationsBefore: string;
  /** Voice notes, photos and files received before this go (with the transcript lines that carried them). */
  readonly mediaBefore: string;
  /** Internal notes written before this go, unless the client has an open handoff or an upcoming consultation. */
  readonly notesBefore: string;
  /** Audit entries older than this lose the chat and detail they name. */
  readonly auditBefore: string;
  /** Staff sessions that ended before this go. */
  readonly expiredBefore: string;
  /** Failed sign-ins older than this go (they no longer count toward any limit). */
  readonly signInFailuresBefore: string;
}

/** What a purge removed. */
export interface PurgeCounts {
  readonly messages: number;
  readonly contacts: number;
  readonly other: number;
}

// ── operations ──────────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * One chat's transaction: every operation reads and writes that chat's data (and, for consultation times, what
 * other clients hold). Created by {@link Store.withChat}; never used after its callback resolves.
 */
export interface ChatTx extends DeskChatTx {
  readonly chat: string;
  /** The chat's oldest inbox row due at `now`, if any. */
  nextInbox(now: Date): Promise<InboxItem | undefined>;
  /** Removes a handled inbox row. */
  finishInbox(seq: number): Promise<void>;
  /** Adds work for this chat, due at `notBefore`. */
  schedule(work: InboxWork, notBefore: Date): Promise<void>;

  /**
   * Everything a turn reads, in one go. With `claim`, the message id is claimed first (`claimed` false: it was
   * already handled or accepted into the inbox, and the rest of the load should be ignored).
   */
  load(now: Date, claim?: string): Promise<TurnLoad>;
  /** Writes the turn's contact, state, transcript and replies in one go; returns the queued replies. */
  writeTurn(write: TurnWrite): Promise<OutboxEntry[]>;

  /** The conversation state, or undefined for a client never seen. */
  state(): Promise<ConversationState | undefined>;
  /** The open handoff, last closed case, upcoming consultations and every consultation time held, as of `now`. */
  context(now: Date): Promise<TurnContext>;
  saveState(state: ConversationState, at: Date): Promise<void>;
  /** Creates or updates the contact: last seen now; name and language when given. */
  touchContact(at: Date, update?: { name?: string; lang?: Lang; inbound?: boolean }): Promise<void>;
  /** The contact's stored name and language, if the client is known. */
  contact(): Promise<{ name?: string; lang: Lang } | undefined>;
  addMessages(messages: readonly NewMessage[]): Promise<void>;
  /**
   * Queues replies to the chat, in order. `forget`: the rows are deleted once sent (the reply to an erasure must not
   * leave the number behind).
   */
  enqueue(texts: readonly string[], at: Date, options?: { forget?: boolean }): Promise<OutboxEntry[]>;
  recordEffect(effect: Effect, at: Date): Promise<void>;

  openHandoff(): Promise<HandoffRecord | undefined>;
  insertHandoff(handoff: NewHandoff): Promise<HandoffRecord>;
  updateHandoff(id: number, patch: HandoffPatch): Promise<HandoffRecord>;

  consultation(id: number): Promise<ConsultationRecord | undefined>;
  /** The chat's requested or confirmed consultations not yet over at `now`, soonest first. */
  upcoming(now: Date): Promise<ConsultationRecord[]>;
  /** Throws {@link SlotTakenError} when the time overlaps another active consultation. */
  insertConsultation(consultation: NewConsultation): Promise<ConsultationRecord>;
  /**
   * Changes a consultation of this chat if its status is still `from` (compare-and-set); undefined when it was not.
   * Throws {@link SlotTakenError} when a new time overlaps another active consultation.
   */
  updateConsultation(id: number, from: ConsultationStatus, patch: ConsultationPatch): Promise<ConsultationRecord | undefined>;

  addNotifications(notifications: readonly NewNotification[]): Promise<void>;
  /** Removes notifications about `subject` not sent yet; returns how many. */
  dropPendingNotifications(subject: string): Promise<number>;

  /** Erases the chat as `scope` says. */
  erase(scope: ErasureScope): Promise<void>;
}

/** A consultation and the chat it belongs to, for staff actions that must run in that chat's transaction. */
export interface Store extends DeskStore {
  readonly backend: 'sqlite' | 'postgres';

  /**
   * Stores inbound work durably before the channel acknowledges it. Messages whose id was already accepted are
   * skipped. Resolves with the chats that got new work once it is committed.
   */
  accept(work: readonly InboxWork[], at: Date): Promise<{ chats: string[]; duplicates: number }>;
  /** Chats with inbox work due at `now`, oldest work first. */
  chatsWithWork(now: Date, limit: number): Promise<string[]>;
  /** When the next scheduled inbox work becomes due, if any is waiting. */
  nextWorkAt(): Promise<Date | undefined>;
  /** Runs `fn` in one transaction holding `chat`'s lock; rolls back when it throws. */
  withChat<T>(chat: string, fn: (tx: ChatTx) => Promise<T>): Promise<T>;

  /**
   * Claims replies to send now: for each chat, only its oldest unsent reply (so one chat's replies go out in order),
   * due (or waiting for a retry, with `ignoreBackoff`: the channel is back) and not leased by a live sender. The claim
   * lasts `leaseMs`; a sender that dies loses it.
   */
  claimOutbox(owner: string, now: Date, leaseMs: number, limit: number, chat?: string, options?: { ignoreBackoff?: boolean }): Promise<OutboxEntry[]>;
  /** Records replies as sent (those that were the reply to an erasure are deleted instead). */
  markSent(ids: readonly number[], at: Date): Promise<void>;
  /** Gives back replies `owner` claimed, without trying them (a reply before them failed; they wait behind it). */
  releaseOutbox(ids: readonly number[], owner: string): Promise<void>;
  /**
   * Extends `owner`'s claim on replies for another `leaseMs` from `now`, if still theirs (not sent, not given up, not
   * claimed by another sender after the lease ran out). Resolves with the ids still held.
   */
  renewOutbox(ids: readonly number[], owner: string, now: Date, leaseMs: number): Promise<number[]>;
  /** The senders holding a claim on a reply or a staff notification that has not run out at `now`. */
  claimOwners(now: Date): Promise<string[]>;
  /**
   * Gives back every claim of `owners` on replies and staff notifications (senders known to be dead: a server that
   * restarted on this machine), so they go out now instead of when the claims run out. Resolves with how many.
   */
  releaseClaimsOf(owners: readonly string[]): Promise<number>;
  /** A failed attempt: retry at `retryAt`, or give up (the reply is shown to staff as failed) when undefined. */
  markSendFailed(id: number, error: string, retryAt: Date | undefined, at: Date): Promise<void>;
  /** When the next reply waiting for a retry becomes due, if any. */
  nextOutboxAt(): Promise<Date | undefined>;
  /** Whether an outbox entry was sent (true; also when it was sent and forgotten), is still queued (false) or was given up ('failed'). */
  outboxState(id: number): Promise<boolean | 'failed'>;
  /** Replies given up, newest first. */
  failedReplies(limit?: number): Promise<FailedReply[]>;

  /** Claims due staff notifications, most urgent first, leased like replies. */
  claimNotifications(owner: string, now: Date, leaseMs: number, limit: number): Promise<NotificationRecord[]>;
  markNotificationSent(id: number, at: Date): Promise<void>;
  /** Records a failed attempt; `retryAt` undefined means give up. */
  markNotificationFailed(id: number, error: string, retryAt: Date | undefined, at: Date): Promise<void>;
  /** Recent notifications, newest first. */
  notifications(limit?: number): Promise<NotificationRecord[]>;
  /** The next time a pending notification becomes due, if any. */
  nextNotificationAt(): Promise<Date | undefined>;

  /** True for exactly one caller per period: the job `name` is due and this caller now owns the period. */
  claimJob(name: string, now: Date, periodMs: number): Promise<boolean>;
  /** Takes or renews a named lease for `owner`; false while another owner holds it unexpired. */
  acquireLease(name: string, owner: string, now: Date, ttlMs: number): Promise<boolean>;
  releaseLease(name: string, owner: string): Promise<void>;

  openHandoffs(): Promise<HandoffRecord[]>;
  handoff(id: number): Promise<HandoffRecord | undefined>;
  /** Handoffs of a chat, newest first. */
  handoffsOf(chat: string): Promise<HandoffRecord[]>;
  /** The transcript of a chat, oldest first. */
  transcript(chat: string): Promise<TranscriptEntry[]>;
  consultation(id: number): Promise<ConsultationRecord | undefined>;
  /** Consultations whose time (or, without a time, creation) falls in [from, to), by time. */
  consultations(range?: { from?: Date; to?: Date }): Promise<ConsultationRecord[]>;
  /** Effects recorded, oldest first (optionally only for one chat). */
  effects(chat?: string): Promise<EffectRecord[]>;
  /** The stored conversation state of a chat (outside a turn, for staff views and tests). */
  state(chat: string): Promise<ConversationState | undefined>;
  /** Client messages since `from`: when, the intent answered, the language (for insights). */
  inboundSince(from: Date): Promise<{ at: string; intent: string | null; lang: string | null }[]>;
  /** The messages answered `none` most often since `from` (case and spacing folded), most frequent first, in the conversation's language. */
  unrecognised(from: Date, limit: number): Promise<{ text: string; lang: string | null; count: number }[]>;

  /** Removes what `plan` says; open handoffs and upcoming consultations are always kept. */
  purge(plan: RetentionPlan): Promise<PurgeCounts>;
  /** True when the database answers a trivial query. */
  ping(): Promise<boolean>;
  /** The schema version applied (the number of migrations). */
  schemaVersion(): Promise<number>;
  close(): Promise<void>;
}

// ── the staff desk ──────────────────────────────────────────────────────────────────────────────────────────────────

/** What a staff account may do: `admin` also manages accounts. */
export type StaffRole = 'admin' | 'staff';

/** A named staff account. */
export interface StaffAccount {
  readonly id: number;
  readonly name: string;
  readonly role: StaffRole;
  readonly createdAt: string;
}

/** An account with its password hash (for signing in only). */
export interface StaffCredentials extends StaffAccount {
  readonly passwordHash: string;
}

/** A new server-side session: only the hash of the cookie's token is stored. */
export interface NewSession {
  readonly tokenHash: string;
  readonly staffId: number;
  readonly csrf: string;
  readonly at: string;
  readonly expiresAt: string;
}

/** A live session and its account. */
export interface SessionRecord {
  readonly staff: StaffAccount;
  readonly csrf: string;
  readonly expiresAt: string;
}

/** An audit entry to write (the chat comes from the transaction, or is given for store-level entries). */
export interface NewAudit {
  readonly at: string;
  /** The staff account's name (kept after the account is removed). */
  readonly actor: string;
  /** Dotted: `handoff.reply`, `consultation.confirm`, `note.add`, `staff.add`… */
  readonly action: string;
  readonly chat?: string;
  readonly handoffId?: number;
  readonly consultationId?: number;
  /** A short description without message text ("Tue, Dec 1, 10:20 AM", "delivery: queued"). */
  readonly detail?: string;
}

/** One staff action, as the audit list shows it. */
export interface AuditEntry extends NewAudit {
  readonly id: number;
}

export interface NewNote {
  readonly handoffId?: number;
  readonly author: string;
  readonly text: string;
  readonly at: string;
}

/** An internal note on a client (and, optionally, one of their cases); never sent to the client. */
export interface NoteRecord extends NewNote {
  readonly id: number;
  readonly chat: string;
}

/** A kept voice note, photo or file, without its bytes. */
export interface MediaInfo {
  readonly id: number;
  readonly mimeType: string;
  readonly size: number;
  readonly filename?: string;
}

/** A kept voice note, photo or file with its bytes. */
export interface MediaRecord extends MediaInfo {
  readonly chat: string;
  readonly data: Buffer;
  readonly at: string;
}

export interface NewMedia {
  /** The channel's message id it came with (stored hashed, like processed ids). */
  readonly messageId: string;
  readonly mimeType: string;
  readonly data: Buffer;
  readonly filename?: string;
  readonly at: string;
}

/** What a client's message carried (voice note, photo, file), as it is kept; undefined for a message without one. */
export function attachmentMedia(message: InboundMessage, at: string): NewMedia | undefined {
  const a = message.attachment;
  return a && { messageId: message.id, mimeType: a.mimeType, data: a.data, filename: a.filename, at };
}

/**
 * The voice note, photo or file of a client's message, kept for staff: stored now when the channel handed it over
 * with the message, or found where the inbox kept it when the message was accepted first. Undefined for text.
 */
export async function keepMessageMedia(tx: ChatTx, message: InboundMessage, at: Date): Promise<number | undefined> {
  const media = attachmentMedia(message, at.toISOString());
  if (media) return tx.addMedia(media);
  return message.type === 'text' ? undefined : tx.mediaFor(message.id);
}

/** A client as the client list shows it. */
export interface ClientSummary {
  readonly chat: string;
  readonly name?: string;
  readonly lang: Lang;
  readonly createdAt: string;
  readonly lastSeenAt: string;
  /** When the client last wrote (Meta's 24-hour window runs from here). */
  readonly lastInboundAt?: string;
  /** The kind of the open handoff, if one is open. */
  readonly openHandoff?: HandoffKind;
  /** For a search by text: the latest of the client's messages that matched. */
  readonly match?: string;
}

/** A client message Puente answered with confidence, for staff to check. */
export interface AnswerSample {
  readonly messageId: number;
  readonly chat: string;
  readonly text: string;
  readonly intent: string;
  readonly confidence: number;
  /** The conversation's language. */
  readonly lang: Lang;
  readonly at: string;
  readonly markedBy?: string;
  readonly markedAt?: string;
}

/** The staff desk's operations inside one chat's transaction. */
export interface DeskChatTx {
  /** Writes a note on this chat. */
  addNote(note: NewNote): Promise<NoteRecord>;
  /** Records a staff action on this chat. */
  addAudit(entry: Omit<NewAudit, 'chat'>): Promise<void>;
  /** Keeps a voice note, photo or file of this chat; returns its id. */
  addMedia(media: NewMedia): Promise<number>;
  /** The media kept for a message of this chat when it was accepted into the inbox, if any. */
  mediaFor(messageId: string): Promise<number | undefined>;
}

/** The staff desk's operations: accounts, sessions, sign-in limits, audit, notes, media, clients, settings, answers. */
export interface DeskStore {
  /** Active accounts, by name. */
  staffAccounts(): Promise<StaffAccount[]>;
  /** An active account by name (case-insensitive), with its hash. */
  staffByName(name: string): Promise<StaffCredentials | undefined>;
  /** Creates an account; undefined when an active account already has that name (case-insensitive). */
  addStaff(account: { name: string; role: StaffRole; passwordHash: string; at: string }): Promise<StaffAccount | undefined>;
  /** Changes an account's password and ends all its sessions. */
  setStaffPassword(id: number, passwordHash: string, at: string): Promise<void>;
  /** Removes an account (kept for the audit, unable to sign in) and ends all its sessions; false when not active. */
  removeStaff(id: number, at: string): Promise<boolean>;

  createSession(session: NewSession): Promise<void>;
  /** The session with this token hash, when it has not expired at `now` and its account is active. */
  session(tokenHash: string, now: Date): Promise<SessionRecord | undefined>;
  endSession(tokenHash: string): Promise<void>;

  /** Failed sign-ins recorded since `since` for each of `keys` (an address, an account), oldest first. */
  signInFailures(keys: readonly string[], since: Date): Promise<{ key: string; at: string }[]>;
  /** Records a failed sign-in for each key; failures before `forgetBefore` (no longer counted) are removed. */
  recordSignInFailure(keys: readonly string[], at: Date, forgetBefore: Date): Promise<void>;
  clearSignInFailures(keys: readonly string[]): Promise<void>;

  /** Records a staff action that is not about one chat (accounts, the calendar link). */
  addAudit(entry: NewAudit): Promise<void>;
  /** Audit entries, newest first: of one chat, or all. */
  audit(filter: { chat?: string; limit: number }): Promise<AuditEntry[]>;

  /** The notes on a chat, oldest first. */
  notesOf(chat: string): Promise<NoteRecord[]>;
  /** A kept voice note, photo or file. */
  media(id: number): Promise<MediaRecord | undefined>;

  /** Clients, most recently seen first; `q` matches name, number (digits) or the text of their messages and notes. */
  clients(query: { q?: string; limit: number }): Promise<ClientSummary[]>;
  client(chat: string): Promise<ClientSummary | undefined>;
  /** Every consultation of a chat, newest first. */
  consultationsOf(chat: string): Promise<ConsultationRecord[]>;
  /** The client's latest messages with text, newest first. */
  lastClientMessages(chat: string, limit: number): Promise<{ text: string; at: string }[]>;

  setting(name: string): Promise<string | undefined>;
  /** The setting's value, first writing `value` when it has none. */
  initSetting(name: string, value: string, at: Date): Promise<string>;
  putSetting(name: string, value: string, at: Date): Promise<void>;

  /** Client messages since `from` answered with an intent at `minConfidence` or more (not `none`), newest first. */
  answers(from: Date, minConfidence: number, limit: number): Promise<AnswerSample[]>;
  /** Answers staff marked wrong since `from`, newest first. */
  markedAnswers(from: Date): Promise<AnswerSample[]>;
  /** Marks a client message's answer as wrong; false when there is no such client message. */
  markAnswer(messageId: number, by: string, at: Date): Promise<boolean>;
  unmarkAnswer(messageId: number): Promise<void>;
  /** Conversations with client messages since `from`, by their language. */
  conversationLanguages(from: Date): Promise<{ lang: string; count: number }[]>;
}
