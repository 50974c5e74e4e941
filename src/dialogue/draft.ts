/**
 * The turn being decided, and the services every journey may use. Journeys (`journeys/*.ts`) are functions of a
 * {@link Kit} and a {@link Draft}: they add replies and effects to the draft and return true when they handled the
 * message, so the engine can try them in an explicit order.
 */
import type { OfficeHours } from '../booking/office-hours';
import type { HandoffTiming } from '../handoff/policy';
import type { Understanding } from '../nlu/nlu';
import type { IntentId, Lang } from '../nlu/types';
import type { BookingFlow } from './booking-flow';
import type { Command } from './commands';
import type { Composer } from './compose';
import type { Phrasebook } from './strings';
import type { Choice, ConversationState, Effect, HandoffKind, InboundMessage, TurnContext } from './types';

/** The slice of understanding the engine needs; `Nlu` implements it, tests may script it. */
export interface Understander {
  understand(text: string, hint?: Lang): Understanding;
}

/** The firm's booking and handoff settings the engine needs. */
export interface EngineSettings {
  readonly hours: OfficeHours;
  readonly timezone: string;
  readonly consultationMinutes: number;
  readonly bookingLeadHours: number;
  /** CONSULTATION_FEE as configured; undefined means staff confirm the fee. */
  readonly fee?: string;
  readonly timing: HandoffTiming;
  /** Flood protection: at most `max` messages per `windowMs` are answered one by one. */
  readonly flood?: { readonly max: number; readonly windowMs: number };
}

/** The turn being decided; journeys add replies and effects to it. */
export interface Draft {
  state: ConversationState;
  replies: string[];
  effects: Effect[];
  /** What the turn was, for the transcript and insights (`urgent_detention`, `command:menu`, `advice`…). */
  intent: string | null;
  confidence: number | null;
  readonly context: TurnContext;
  readonly now: Date;
  /** The client's message; absent when the turn is scheduled work (answering held messages). */
  readonly message?: InboundMessage;
  /** The message text, cleaned of control characters and trimmed ('' for none). */
  readonly text: string;
  readonly command?: Command;
  /** The client was never seen before. */
  readonly isNew: boolean;
  /** Set once the message has been understood (see {@link Kit.understand}). */
  understanding?: Understanding;
}

/** What journeys share: understanding, composing, saying, and the other journeys they hand over to. */
export interface Kit {
  readonly nlu: Understander;
  readonly composer: Composer;
  readonly settings: EngineSettings;
  readonly booking: BookingFlow;
  /** The phrasebook in the conversation's current language. */
  s(d: Draft): Phrasebook;
  /** Understands the message once per turn (with the conversation's language as hint). */
  understand(d: Draft): Understanding;
  /** Lets a clear message in the other language switch the conversation's language (SPEC §3). */
  followLanguage(d: Draft): void;
  say(d: Draft, text: string): void;
  /** When a person will answer: now for an emergency, soon during office hours, else from the next opening. */
  whenStaff(kind: HandoffKind, lang: Lang, now: Date): string;
  /** Answers a topic: its explainer (or a section, or a reminder when asked again) with next steps. */
  answer(d: Draft, intent: IntentId, text: string): void;
  menu(d: Draft): void;
  /** Picks entry `value` (from 1) of the last list shown. */
  pick(d: Draft, value: number): void;
  choose(d: Draft, choice: Choice): void;
  notUnderstood(d: Draft): void;
  /** Opens or renews a handoff of `kind` and tells the client. */
  handoff(d: Draft, kind: 'human', summary: string): void;
  /** The urgent path (SPEC §2.7). */
  urgent(d: Draft): void;
  /** Starts (or completes) a question for the team (journey 4). */
  advice(d: Draft, question?: string): void;
  askErase(d: Draft): void;
}

/** Paths a turn can take that are not a topic: shown in the transcript and insights. */
export const TURN_KINDS = {
  held: 'flood:held',
  caughtUp: 'flood:caught-up',
  waiting: 'handoff:waiting',
  paused: 'handoff:paused',
  details: 'urgent_detention:details',
  clarify: 'urgent_detention:clarify',
  media: 'media',
  ack: 'chitchat',
  outOfScope: 'none',
  news: 'handoff:news',
  advice: 'advice',
  manage: 'consultation_manage',
} as const;
