/**
 * The conversation engine's vocabulary: what comes in, what state a conversation keeps, what goes out.
 */
import type { Attachment } from '../media';
import type { IntentId, Lang } from '../nlu/types';

/** How a consultation happens. */
export type ConsultationMode = 'phone' | 'office';

/** A time interval as ISO-8601 UTC strings (plain data, stored as JSON). */
export interface Interval {
  readonly start: string;
  readonly end: string;
}

/** Kinds of WhatsApp message a channel can deliver; anything but `text` carries no words to understand. */
export type MessageType = 'text' | 'voice' | 'image' | 'video' | 'sticker' | 'location' | 'document' | 'contact' | 'other';

/** A message from a client, already mapped from the channel's own format. */
export interface InboundMessage {
  /** The channel's message id; a message id is answered at most once. */
  readonly id: string;
  /** The client's chat id (a phone number for WhatsApp, any stable id for the console). */
  readonly chat: string;
  readonly text: string;
  readonly type: MessageType;
  readonly receivedAt: Date;
  /** The client's display name, when the channel knows it. */
  readonly name?: string;
  /** The channel's reference to a voice note, image or file (Cloud API media id), when there is one. */
  readonly mediaId?: string;
  readonly mimeType?: string;
  /** The voice note, image or file itself, when the channel downloaded it (within MEDIA_MAX_MB and allowed types). */
  readonly attachment?: Attachment;
}

/** Who should take over a conversation, in priority order (urgent first). */
export type HandoffKind = 'urgent' | 'human' | 'consultation' | 'advice';

/** What the client told us about a detained person during an emergency (SPEC §2.7); every field optional. */
export interface CaseDetails {
  readonly name?: string;
  /** Date of birth as the client wrote it, normalised to YYYY-MM-DD when unambiguous. */
  readonly birthDate?: string;
  readonly country?: string;
  readonly place?: string;
  readonly when?: string;
  /** A-number, digits only (8 or 9). */
  readonly aNumber?: string;
  /** Who the person is to the client ("husband", "esposo"…). */
  readonly relation?: string;
}

/** The detail fields, in the order the client is asked for them. */
export const CASE_FIELDS = ['name', 'birthDate', 'country', 'place', 'when', 'aNumber'] as const;
export type CaseField = (typeof CASE_FIELDS)[number];

/** One entry of the last numbered list a client saw; the number they type is its position, starting at 1. */
export type Choice =
  | { readonly kind: 'intent'; readonly intent: IntentId }
  /** A follow-up section of an explainer ("More about bond hearings"). */
  | { readonly kind: 'section'; readonly intent: IntentId; readonly section: string }
  /** Send a question to the team as free general guidance (journey 4). */
  | { readonly kind: 'advice' }
  /** "Yes, someone is being detained now": the urgent path. */
  | { readonly kind: 'emergency' }
  /** Ask the team for news of an earlier case. */
  | { readonly kind: 'news' }
  | { readonly kind: 'keep' }
  | { readonly kind: 'move'; readonly consultationId: number }
  | { readonly kind: 'cancel-consultation'; readonly consultationId: number };

/** A short form in progress: booking (or moving) a consultation, a question for the team, a yes/no confirmation. */
export type Form =
  | {
      readonly kind: 'booking';
      readonly step: 'mode' | 'name' | 'slot' | 'preference' | 'topic' | 'confirm';
      readonly mode?: ConsultationMode;
      readonly name?: string;
      readonly slot?: Interval;
      readonly preference?: string;
      readonly topic?: string;
      /** The slots last offered, in the order shown (a number picks one). */
      readonly offered?: readonly Interval[];
      /** Set when this form moves an existing consultation instead of booking a new one. */
      readonly moving?: number;
      /** Weekdays (0 = Sunday) the client said they cannot do, and times they turned down: not offered again. */
      readonly avoidDays?: readonly number[];
      readonly declined?: readonly string[];
      /** Answers not understood at the current step. */
      readonly retries: number;
    }
  /** Waiting for the question to send to the team (free general guidance). */
  | { readonly kind: 'advice'; readonly retries: number }
  | { readonly kind: 'erase' }
  | { readonly kind: 'cancel-consultation'; readonly consultationId: number };

/** A message held back while a client was over the flood limit; answered (or summarised) when the limit lifts. */
export interface HeldMessage {
  readonly text: string;
  readonly at: string;
}

/** Flood protection of one chat (SPEC §11): recent arrival times and what was held back. */
export interface FloodState {
  /** Arrival times (ms since epoch) inside the current window, oldest first. */
  readonly times: readonly number[];
  readonly held: readonly HeldMessage[];
  /** The one notice of this flood was sent. */
  readonly noticed: boolean;
  /** When the held messages will be answered (a release was scheduled). */
  readonly releaseAt?: string;
}

/** What the engine keeps while an emergency case is open. */
export interface UrgentState {
  readonly details: CaseDetails;
  /** Key of the last acknowledgement sent, so the same line is never sent twice in a row. */
  readonly lastReply?: string;
  /** When the client last reported agents at the door (ISO): the same emergency while it goes on. */
  readonly doorAt?: string;
}

/** A topic answered recently (for "asked again" reminders and follow-ups read in context). */
export interface RecentTopic {
  readonly intent: IntentId;
  readonly at: string;
}

/** What the engine remembers about one conversation between turns. Plain data, stored as JSON. */
export interface ConversationState {
  readonly lang: Lang;
  /** The client chose the language with `english` / `español`; detection no longer switches it. */
  readonly langChosen: boolean;
  /** The one-time first-contact notice has been sent. */
  readonly noticeShown: boolean;
  /** Messages not understood in a row. */
  readonly misses: number;
  /** The questions not understood lately, newest last (at most 3), offered to the team. */
  readonly missed?: readonly string[];
  /** The last numbered list shown; a bare number picks from it (nothing is picked before a list was shown). */
  readonly choices: readonly Choice[];
  /** The client wrote `stop`/`baja`: nothing is answered until `start`/`inicio`, except an emergency. */
  readonly stopped: boolean;
  /** ISO time of the last turn. */
  readonly lastTurnAt?: string;
  /** A form in progress, if any. */
  readonly form?: Form;
  /** ISO time of the last "you are in the queue" reminder. */
  readonly remindedAt?: string;
  /** Topics answered lately, newest last (at most 5). */
  readonly topics?: readonly RecentTopic[];
  readonly flood?: FloodState;
  /** Present while an emergency case of this chat is open. */
  readonly urgent?: UrgentState;
}

/** The open handoff of a chat, as the engine sees it. */
export interface OpenHandoff {
  readonly id: number;
  readonly kind: HandoffKind;
  readonly createdAt: string;
  /** The pause is measured from here: creation, a repeated request, or the last staff activity. */
  readonly activityAt: string;
  /** Last time staff wrote in the chat or acted on the handoff, if ever. */
  readonly lastStaffAt?: string;
  readonly details?: CaseDetails;
}

/** The chat's most recent handoff that ended, so a returning client is not greeted as a stranger. */
export interface PastCase {
  readonly kind: HandoffKind;
  readonly resolvedAt: string;
  readonly details?: CaseDetails;
}

/** A consultation of this chat that is still to come (requested or confirmed). */
export interface UpcomingConsultation {
  readonly id: number;
  readonly status: 'requested' | 'confirmed';
  readonly mode: ConsultationMode;
  readonly slot?: Interval;
  readonly preference?: string;
}

/**
 * What the engine may read about the world besides the conversation state, loaded in the turn's transaction just
 * before the turn (so the engine itself stays pure): the chat's open handoff, its last closed case, its upcoming
 * consultations, and the times other clients hold.
 */
export interface TurnContext {
  readonly handoff?: OpenHandoff;
  readonly pastCase?: PastCase;
  readonly consultations: readonly UpcomingConsultation[];
  /** Every active consultation's time (any client), from now on. */
  readonly busy: readonly Interval[];
}

/** The context of a chat with nothing open and a free calendar. */
export const EMPTY_CONTEXT: TurnContext = Object.freeze({ consultations: [], busy: [] });

/** Something the engine decided should happen besides replying; carried out in the turn's transaction. */
export type Effect =
  | {
      readonly type: 'handoff.requested';
      readonly kind: HandoffKind;
      readonly lang: Lang;
      readonly summary: string;
      readonly name?: string;
      readonly details?: CaseDetails;
    }
  /** New facts for the open case (urgent details, a voice note or photo received). */
  | { readonly type: 'handoff.details'; readonly details?: CaseDetails; readonly note?: string }
  /** The client left the queue (`cancel` while waiting for a person). */
  | { readonly type: 'handoff.withdrawn' }
  | {
      readonly type: 'consultation.requested';
      readonly mode: ConsultationMode;
      readonly name: string;
      readonly topic: string;
      readonly lang: Lang;
      readonly slot?: Interval;
      readonly preference?: string;
    }
  | { readonly type: 'consultation.cancelled'; readonly id: number; readonly lang: Lang }
  | { readonly type: 'consultation.moved'; readonly id: number; readonly lang: Lang; readonly slot?: Interval; readonly preference?: string }
  /** Erase the client's transcript and personal data (after their confirmation). */
  | { readonly type: 'contact.erased'; readonly lang: Lang }
  /** Answer the messages held back by the flood limit at this time, even if the client writes nothing more. */
  | { readonly type: 'release.scheduled'; readonly at: string };

/** What the engine understood of the message, for the transcript and analytics. */
export interface TurnAnalysis {
  /** The intent answered, or what the turn was (`command:menu`, `consultation_book`, `handoff:waiting`…). */
  readonly intent: string | null;
  readonly confidence: number | null;
  readonly lang: Lang;
}

/** The outcome of one turn. */
export interface TurnResult {
  readonly state: ConversationState;
  /** Messages to send, in order; never empty strings. */
  readonly replies: readonly string[];
  readonly effects: readonly Effect[];
  readonly analysis: TurnAnalysis;
}
