/**
 * The conversation engine: (state, context, message, time) → (state, replies, effects). Pure and deterministic: no
 * I/O, no clock of its own, no randomness. Understanding comes from an injected {@link Understander}; what it may know
 * of the world (the chat's open handoff, its last case, its consultations, the times other clients hold) comes in as
 * a {@link TurnContext} loaded in the turn's transaction.
 *
 * Each message goes through the gates below, in this order, until one handles it. The order is the product's
 * priorities: an emergency first, whatever the conversation was doing; privacy next; then the flood limit, forms,
 * handoffs, and only last the classifier's answer. Each journey lives in `journeys/`.
 */
import { cleanText, MAX_NLU_CHARS } from '../nlu/normalise';
import { NONE, type IntentId, type Lang } from '../nlu/types';
import type { Understanding } from '../nlu/nlu';
import { BookingFlow } from './booking-flow';
import { parseCommand } from './commands';
import type { Composer } from './compose';
import type { Draft, EngineSettings, Kit, Understander } from './draft';
import { adviceFollowGate, adviceWordsGate, startAdvice } from './journeys/advice';
import { commandGate } from './journeys/commands';
import { manageGate } from './journeys/consultations';
import { floodGate, release } from './journeys/flood';
import { formGate } from './journeys/forms';
import { returningGate, staffPausedGate, talkToPerson, waitingGate, whenStaff } from './journeys/handoff';
import { acknowledgementGate, answer, choose, followUpGate, informationGate, menu, notUnderstood, outOfScopeGate, pick } from './journeys/information';
import { mediaGate } from './journeys/media';
import { askErase, privacyGate, stoppedGate } from './journeys/privacy';
import { clarifyGate, emergencyGate, urgentCaseGate, urgentPath } from './journeys/urgent';
import { STRINGS, type Phrasebook } from './strings';
import type { Choice, ConversationState, HandoffKind, InboundMessage, TurnContext, TurnResult } from './types';
import { EMPTY_CONTEXT } from './types';

export type { EngineSettings, Understander } from './draft';

/** One gate of the turn: handles the message (true) or lets the next gate try (false). */
type Gate = (k: Kit, d: Draft) => boolean;

/** Nothing to read in the message. */
const emptyGate: Gate = (k, d) => {
  if (d.text) return false;
  k.say(d, k.s(d).empty);
  return true;
};

/** The order of the turn (SPEC §2.7: the urgent path wins over every other state). */
export const GATES: readonly (readonly [string, Gate])[] = [
  ['emergency', emergencyGate],
  ['stopped', stoppedGate],
  ['privacy', privacyGate],
  ['flood', floodGate],
  ['media', mediaGate],
  ['empty', emptyGate],
  ['command', commandGate],
  ['form', formGate],
  ['urgent case', urgentCaseGate],
  ['own consultation', manageGate],
  ['staff writing', staffPausedGate],
  ['free advice', adviceWordsGate],
  ['waiting for a person', waitingGate],
  ['returning client', returningGate],
  ['follow-up', followUpGate],
  ['possible emergency', clarifyGate],
  ['out of scope', outOfScopeGate],
  ['acknowledgement', acknowledgementGate],
  ['more for the team', adviceFollowGate],
  ['information', informationGate],
];

/** After this long without messages, earlier misses no longer count toward "a second miss in a row". */
const MISS_MEMORY_MS = 30 * 60 * 1000;
/** Detection must be at least this sure before it changes a conversation's language. */
const SWITCH_CONFIDENCE = 0.75;
/** …and one of its words, on its own, at least this sure. */
const WORD_SWITCH_CONFIDENCE = 0.85;

/** A new conversation's state; the language is set from the first message. */
export function initialState(lang: Lang = 'en'): ConversationState {
  return { lang, langChosen: false, noticeShown: false, misses: 0, choices: [], stopped: false };
}

/** A conversation's state once staff hand it back to the bot (`#bot`): no form, no reminder, no list. */
export function resumedState(state: ConversationState): ConversationState {
  return { ...state, form: undefined, choices: [], misses: 0, missed: undefined, remindedAt: undefined };
}

/** Dependencies of the engine. */
export interface EngineDeps {
  readonly nlu: Understander;
  readonly composer: Composer;
  readonly settings: EngineSettings;
}

/** Decides each turn of a conversation. */
export class DialogueEngine implements Kit {
  readonly nlu: Understander;
  readonly composer: Composer;
  readonly settings: EngineSettings;
  readonly booking: BookingFlow;

  constructor(deps: EngineDeps) {
    this.nlu = deps.nlu;
    this.composer = deps.composer;
    this.settings = deps.settings;
    this.booking = new BookingFlow(deps.composer, deps.settings, this);
  }

  /**
   * Handles one inbound message. `previous` is undefined for a client never seen before. Never throws for any input
   * text; every reply it returns is non-empty.
   */
  handle(previous: ConversationState | undefined, message: InboundMessage, now: Date, context: TurnContext = EMPTY_CONTEXT): TurnResult {
    const text = cleanText(message.text ?? '');
    const d: Draft = {
      state: this.prepare(previous, now, context), replies: [], effects: [], intent: null, confidence: null, context, now, message, text,
      command: text ? parseCommand(text) : undefined, isNew: previous === undefined,
    };
    if (d.isNew && text) this.followLanguage(d);
    for (const [, gate] of GATES) if (gate(this, d)) break;
    // A very long message was understood from its beginning: say so, whatever the answer was.
    if (text.length > MAX_NLU_CHARS && d.replies.length > 0) this.say(d, this.s(d).longMessage);
    return this.finish(d);
  }

  /** Scheduled work: answers the messages the flood limit held back (nothing when there are none). */
  release(previous: ConversationState | undefined, now: Date, context: TurnContext = EMPTY_CONTEXT): TurnResult {
    const d: Draft = { state: this.prepare(previous, now, context), replies: [], effects: [], intent: null, confidence: null, context, now, text: '', isNew: false };
    release(this, d);
    return this.finish(d);
  }

  /** The stored state brought up to date for this turn (older stored states lack newer fields). */
  private prepare(previous: ConversationState | undefined, now: Date, context: TurnContext): ConversationState {
    let state: ConversationState = { ...initialState(), ...(previous ?? {}) };
    if (state.lastTurnAt && now.getTime() - Date.parse(state.lastTurnAt) > MISS_MEMORY_MS) state = { ...state, misses: 0 };
    // An emergency's details are collected only while its case is open; once staff closed it, it is an ordinary chat.
    if (state.urgent && context.handoff?.kind !== 'urgent') state = { ...state, urgent: undefined };
    return state;
  }

  // ── Kit ───────────────────────────────────────────────────────────────────────────────────────────────────────────

  s(d: Draft): Phrasebook {
    return STRINGS[d.state.lang];
  }

  understand(d: Draft): Understanding {
    return (d.understanding ??= this.nlu.understand(d.text, d.isNew ? undefined : d.state.lang));
  }

  /**
   * SPEC §3: the language follows a message that clearly reads as the other language; a first message sets it; a
   * name, a number or a form answer never changes it, nor does detection undo an explicit `english`/`español`.
   */
  followLanguage(d: Draft): void {
    if (!d.text) return;
    const u = this.understand(d);
    if (d.isNew) {
      const threshold = d.command ? 0.9 : 0;
      if (u.languageConfidence > threshold) d.state = { ...d.state, lang: u.language };
      return;
    }
    if (d.state.langChosen || d.state.form || u.language === d.state.lang) return;
    // One word is too little to change a conversation's language: "ok", "thanks" or "gracias" are said in both. Nor
    // are words both languages use ("habeas corpus", "visa u"): at least one word must say the language on its own.
    const clear =
      u.wordCount >= 2 && u.languageConfidence >= SWITCH_CONFIDENCE && u.languageWordConfidence >= WORD_SWITCH_CONFIDENCE &&
      (u.intent !== NONE || u.wordCount >= 3);
    if (clear) d.state = { ...d.state, lang: u.language };
  }

  say(d: Draft, text: string): void {
    const trimmed = text.trim();
    if (trimmed) d.replies.push(trimmed);
  }

  whenStaff(kind: HandoffKind, lang: Lang, now: Date): string {
    return whenStaff(this, kind, lang, now);
  }

  answer(d: Draft, intent: IntentId, text: string): void {
    answer(this, d, intent, text);
  }

  menu(d: Draft): void {
    menu(this, d);
  }

  pick(d: Draft, value: number): void {
    pick(this, d, value);
  }

  choose(d: Draft, choice: Choice): void {
    choose(this, d, choice);
  }

  notUnderstood(d: Draft): void {
    notUnderstood(this, d);
  }

  handoff(d: Draft, _kind: 'human', summary: string): void {
    talkToPerson(this, d, summary);
  }

  urgent(d: Draft): void {
    urgentPath(this, d);
  }

  advice(d: Draft, question?: string): void {
    startAdvice(this, d, question);
  }

  askErase(d: Draft): void {
    askErase(this, d);
  }

  // ── the end of a turn ─────────────────────────────────────────────────────────────────────────────────────────────

  private finish(d: Draft): TurnResult {
    let state: ConversationState = { ...d.state, lastTurnAt: d.now.toISOString() };
    const replies = [...d.replies];
    if (!state.noticeShown && replies.length > 0) {
      // The one-time notice goes after the first reply; after the rights and the locator in an emergency.
      const at = d.intent === 'urgent_detention' ? replies.length - 1 : 0;
      replies[at] = `${replies[at]}\n\n${this.composer.notice(state.lang)}`;
      state = { ...state, noticeShown: true };
    }
    return { state, replies, effects: d.effects, analysis: { intent: d.intent, confidence: d.confidence, lang: state.lang } };
  }
}

