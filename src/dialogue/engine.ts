/**
 * The conversation engine: (state, context, message, time) → (state, replies, effects). Pure and deterministic: no
 * I/O, no clock of its own, no randomness. Understanding comes from an injected {@link Understander}; what it may know
 * of the world (the chat's open handoff, its consultations, the times other clients hold) comes in as a
 * {@link TurnContext} loaded by the turn runner.
 *
 * Journeys (SPEC §2): 1 general information, 2 not understood, 3 menu, 4 advice, 5 booking, 6 talk to a person,
 * 7 urgent detention, 8 staying quiet while staff handle a chat, 9 privacy; the commands of §6; language switching (§3).
 * Handoffs, bookings and erasure are returned as effects for the store to carry out in the turn's transaction.
 */
import { parseYesNo } from '../booking/answers';
import { describeHours, isOpen, nextOpening, type OfficeHours } from '../booking/office-hours';
import { formatInterval } from '../booking/slots';
import { isPaused, reminderDue, type HandoffTiming } from '../handoff/policy';
import { cleanText, foldAccents, MAX_NLU_CHARS } from '../nlu/normalise';
import { oneLine } from '../text';
import { NONE, type IntentId, type Lang } from '../nlu/types';
import type { Understanding } from '../nlu/nlu';
import { BookingFlow } from './booking-flow';
import { parseCommand, type Command } from './commands';
import { Composer, MENU_INTENTS } from './compose';
import { STRINGS } from './strings';
import {
  EMPTY_CONTEXT,
  type Choice, type ConversationState, type Effect, type HandoffKind, type InboundMessage, type Interval, type TurnContext,
  type TurnResult, type UpcomingConsultation,
} from './types';

/** The slice of understanding the engine needs; `Nlu` implements it. */
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
}

/** Intents answered with their explainer and no "next steps" footer. */
const SMALL_TALK = new Set<IntentId>(['greeting', 'thanks', 'goodbye']);

/** After this long without messages, earlier misses no longer count toward "a second miss in a row". */
const MISS_MEMORY_MS = 30 * 60 * 1000;

/** Detection must be at least this sure before it changes a conversation's language. */
const SWITCH_CONFIDENCE = 0.75;
/** …and this sure, on a message of three words or more, once the client chose a language explicitly. */
const OVERRIDE_CHOSEN_CONFIDENCE = 0.97;

/** Words that name a consultation, and what a client may want done with theirs. */
const APPOINTMENT = /\b(appointments?|appt|appts|consult\w*|cita|citas|booking|reservation|reserva|meeting|reunion)\b/;
const CANCEL_WORDS = /\b(cancel\w*|anul\w*|no (?:voy a poder|puedo) (?:ir|llegar)|can ?t make it)\b/;
const MOVE_WORDS = /\b(reschedul\w*|reprogram\w*|move|mover|moverla|change|cambi\w*|otro dia|otra (?:fecha|hora)|another (?:day|time)|different (?:day|time)|postpone|posponer)\b/;

/** A new conversation's state; the language is set from the first message. */
export function initialState(lang: Lang = 'en'): ConversationState {
  return { lang, langChosen: false, noticeShown: false, misses: 0, choices: [], mode: 'chat', stopped: false };
}

/** A conversation's state once staff hand it back to the bot (`#bot`): no urgent follow-up, no form, no reminder. */
export function resumedState(state: ConversationState): ConversationState {
  return { ...state, mode: 'chat', urgentDetails: undefined, form: undefined, choices: [], misses: 0, remindedAt: undefined };
}

/** The turn being decided; helpers add replies and effects to it. */
export interface Draft {
  state: ConversationState;
  replies: string[];
  effects: Effect[];
  intent: string | null;
  confidence: number | null;
  readonly context: TurnContext;
  readonly now: Date;
}

/** Dependencies of the engine. */
export interface EngineDeps {
  readonly nlu: Understander;
  readonly composer: Composer;
  readonly settings: EngineSettings;
}

/** Decides each turn of a conversation. */
export class DialogueEngine {
  private readonly booking: BookingFlow;

  constructor(private readonly deps: EngineDeps) {
    this.booking = new BookingFlow(deps.composer, deps.settings, {
      say: (d, text) => this.say(d, text),
      whenStaff: (kind, lang, now) => this.whenStaff(kind, lang, now),
      closedNotice: (lang, now) => (isOpen(deps.settings.hours, deps.settings.timezone, now) ? '' : this.whenStaff('consultation', lang, now)),
      formatInterval: (slot, lang) => this.formatInterval(slot, lang),
    });
  }

  /**
   * Handles one inbound message. `state` is undefined for a client never seen before. Never throws for any input
   * text; every reply it returns is non-empty.
   */
  handle(previous: ConversationState | undefined, message: InboundMessage, now: Date, context: TurnContext = EMPTY_CONTEXT): TurnResult {
    const isNew = previous === undefined;
    let state = previous ?? initialState();
    if (state.lastTurnAt && now.getTime() - Date.parse(state.lastTurnAt) > MISS_MEMORY_MS) state = { ...state, misses: 0 };
    const draft: Draft = { state, replies: [], effects: [], intent: null, confidence: null, context, now };
    this.decide(draft, message, isNew);
    // A very long message was classified on its beginning: say so, whatever the answer was.
    if ((message.text ?? '').length > MAX_NLU_CHARS && draft.replies.length > 0) this.say(draft, STRINGS[draft.state.lang].longMessage);
    return this.finish(draft, now);
  }

  private decide(d: Draft, message: InboundMessage, isNew: boolean): void {
    const text = cleanText(message.text ?? '');
    const command = text ? parseCommand(text) : undefined;
    if (d.state.stopped) {
      if (command?.type === 'start') this.start(d);
      else if (command?.type === 'delete') this.askErase(d);
      else if (d.state.form?.kind === 'erase' && text) this.eraseAnswer(d, text);
      return; // otherwise a stopped conversation gets no reply at all
    }
    const paused = isPaused(d.context.handoff, d.now, this.deps.settings.timing);
    // Details are collected for an open emergency only; once staff closed it, the conversation is an ordinary one again.
    if (d.state.mode === 'urgent' && d.context.handoff?.kind !== 'urgent') d.state = { ...d.state, mode: 'chat', urgentDetails: undefined };
    if (message.type !== 'text' && !text) {
      // A person handling the chat hears the voice note themselves; otherwise ask for text.
      if (!paused) this.say(d, STRINGS[d.state.lang].pleaseType);
      return;
    }
    if (!text) return this.say(d, STRINGS[d.state.lang].empty);
    if (command) {
      // A first message that is a command word ("menú") sets the language only when the word is unmistakable.
      const u = isNew && command.type !== 'language' ? this.deps.nlu.understand(text) : undefined;
      if (u && u.languageConfidence >= 0.9) d.state = { ...d.state, lang: u.language };
      return this.command(d, command, text, paused);
    }
    if (d.state.form && d.state.form.kind !== 'booking') return this.formAnswer(d, text);
    const understanding = this.deps.nlu.understand(text, isNew ? undefined : d.state.lang);
    this.updateLanguage(d, understanding, isNew);
    d.confidence = understanding.confidence;
    // An emergency is always answered: in a form, in the queue for a person, anywhere.
    if (understanding.urgent && !(d.state.mode === 'urgent' && paused)) return this.urgent(d, text);
    if (d.state.form?.kind === 'booking') return this.booking.answer(d, text, understanding);
    if (this.manageByWords(d, text)) return;
    if (paused) return this.whilePaused(d, text, understanding);
    if (understanding.foreignScript) return this.say(d, STRINGS[d.state.lang].otherLanguage);
    if (understanding.emojiOnly) return this.say(d, STRINGS[d.state.lang].emojiOnly);
    if (d.state.mode === 'urgent' && !SMALL_TALK.has(understanding.intent)) return this.urgentDetails(d, text);
    d.intent = understanding.intent;
    if (understanding.intent === NONE) this.notUnderstood(d, text, understanding);
    else this.answer(d, understanding.intent, text);
  }

  /** A client writes while a person has the chat: stay quiet, except urgent details before staff answer and a rare reminder. */
  private whilePaused(d: Draft, text: string, u: Understanding): void {
    const handoff = d.context.handoff!;
    const upcoming = this.upcoming(d);
    // Asking about their own booking is self-service, not a message for staff.
    if (u.intent === 'consultation_book' && upcoming) return this.manageMenu(d, upcoming);
    d.intent = 'handoff:waiting';
    if (d.state.mode === 'urgent' && !handoff.lastStaffAt && !SMALL_TALK.has(u.intent)) return this.urgentDetails(d, text);
    if (!reminderDue(handoff, d.state.remindedAt, d.now, this.deps.settings.timing)) return;
    d.state = { ...d.state, remindedAt: d.now.toISOString() };
    this.say(d, STRINGS[d.state.lang].queueReminder(this.whenStaff(handoff.kind, d.state.lang, d.now)));
  }

  private command(d: Draft, command: Command, text: string, paused: boolean): void {
    const s = STRINGS[d.state.lang];
    d.intent = `command:${command.type}`;
    const form = d.state.form;
    switch (command.type) {
      case 'menu':
        d.state = { ...d.state, mode: 'chat', misses: 0, form: undefined };
        return this.menu(d);
      case 'number':
        if (form?.kind === 'booking') return this.booking.answer(d, text, undefined);
        if (form) return this.formAnswer(d, text);
        return this.pick(d, command.value);
      case 'human':
        d.state = { ...d.state, form: undefined };
        return this.handoff(d, 'human', text);
      case 'language':
        d.state = { ...d.state, lang: command.lang, langChosen: true };
        this.say(d, STRINGS[command.lang].languageSet);
        if (form?.kind === 'booking') this.booking.repeat(d);
        return;
      case 'cancel':
        if (form) {
          d.state = { ...d.state, form: undefined, choices: [] };
          return this.say(d, form.kind === 'booking' ? s.formLeft : form.kind === 'erase' ? s.eraseKept : s.kept);
        }
        if (paused) {
          const upcoming = this.upcoming(d);
          if (d.context.handoff!.kind === 'consultation' && upcoming) return this.askCancelConsultation(d, upcoming);
          d.effects.push({ type: 'handoff.withdrawn' });
          d.state = { ...d.state, mode: 'chat', choices: [], misses: 0 };
          return this.say(d, s.leftQueue);
        }
        d.state = { ...d.state, mode: 'chat', choices: [], misses: 0, pendingQuestion: undefined };
        return this.say(d, s.cancelled);
      case 'stop':
        d.state = { ...d.state, stopped: true, mode: 'chat', choices: [], form: undefined };
        return this.say(d, s.stopped);
      case 'start':
        return this.start(d);
      case 'urgent':
        return this.urgent(d, text);
      case 'delete':
        return this.askErase(d);
      case 'staff-resume':
        // `#bot` is for staff on the linked phone (the channel reports it); from a client it means nothing.
        if (paused || form) return;
        d.intent = null;
        return this.notUnderstood(d, text, undefined);
    }
  }

  /** A yes/no (or number) answer to a form that is not booking. */
  private formAnswer(d: Draft, text: string): void {
    if (d.state.form?.kind === 'erase') return this.eraseAnswer(d, text);
    if (d.state.form?.kind === 'cancel-consultation') return this.cancelAnswer(d, text);
  }

  private start(d: Draft): void {
    d.intent = 'command:start';
    d.state = { ...d.state, stopped: false };
    this.say(d, STRINGS[d.state.lang].started);
  }

  private updateLanguage(d: Draft, u: Understanding, isNew: boolean): void {
    // Gibberish and lone unknown words say nothing about the language; keep the conversation's.
    const sure = u.languageConfidence >= SWITCH_CONFIDENCE && (u.intent !== NONE || u.wordCount >= 3);
    const overrides = u.languageConfidence >= OVERRIDE_CHOSEN_CONFIDENCE && u.wordCount >= 3;
    if (isNew ? u.languageConfidence > 0 : sure && (!d.state.langChosen || overrides)) {
      d.state = { ...d.state, lang: u.language, langChosen: d.state.langChosen && u.language === d.state.lang };
    }
  }

  private answer(d: Draft, intent: IntentId, text: string): void {
    d.state = { ...d.state, misses: 0, pendingQuestion: undefined };
    if (intent === 'menu') return this.menu(d);
    if (intent === 'human') return this.handoff(d, 'human', text);
    if (intent === 'urgent_detention') return this.urgent(d, text);
    if (intent === 'consultation_book') {
      const upcoming = this.upcoming(d);
      return upcoming ? this.manageMenu(d, upcoming) : this.booking.start(d);
    }
    const { composer } = this.deps;
    if (SMALL_TALK.has(intent)) {
      d.state = { ...d.state, choices: [] };
      return this.say(d, composer.explainer(intent, d.state.lang));
    }
    const next: Choice[] = [{ kind: 'intent', intent: 'consultation_book' }, { kind: 'intent', intent: 'human' }];
    d.state = { ...d.state, choices: next };
    this.say(d, `${composer.explainer(intent, d.state.lang)}\n\n${composer.footer(next, d.state.lang)}`);
  }

  private menu(d: Draft): void {
    const choices: Choice[] = MENU_INTENTS.map((intent) => ({ kind: 'intent', intent }));
    d.state = { ...d.state, choices };
    this.say(d, this.deps.composer.menu(choices, d.state.lang));
  }

  private pick(d: Draft, value: number): void {
    const list = d.state.choices.length > 0 ? d.state.choices : MENU_INTENTS.map((intent): Choice => ({ kind: 'intent', intent }));
    const choice = list[value - 1];
    if (!choice) return this.say(d, STRINGS[d.state.lang].pickFromList(list.length));
    const s = STRINGS[d.state.lang];
    switch (choice.kind) {
      case 'advice':
        return this.advice(d);
      case 'keep':
        d.state = { ...d.state, choices: [] };
        return this.say(d, s.kept);
      case 'move': {
        const upcoming = d.context.consultations.find((c) => c.id === choice.consultationId);
        if (!upcoming) return this.say(d, s.noUpcoming);
        return this.booking.startMove(d, upcoming);
      }
      case 'cancel-consultation': {
        const upcoming = d.context.consultations.find((c) => c.id === choice.consultationId);
        if (!upcoming) return this.say(d, s.noUpcoming);
        return this.askCancelConsultation(d, upcoming);
      }
      case 'intent':
        d.intent = choice.intent;
        return this.answer(d, choice.intent, '');
    }
  }

  /** The chat's next consultation, if any. */
  private upcoming(d: Draft): UpcomingConsultation | undefined {
    return d.context.consultations[0];
  }

  /** "Cancel my appointment" / "cambiar mi cita": acts on the client's upcoming consultation. */
  private manageByWords(d: Draft, text: string): boolean {
    const folded = foldAccents(text).toLowerCase();
    if (!APPOINTMENT.test(folded)) return false;
    const cancel = CANCEL_WORDS.test(folded);
    const move = MOVE_WORDS.test(folded);
    if (!cancel && !move) return false;
    const upcoming = this.upcoming(d);
    d.intent = 'consultation_manage';
    if (!upcoming) {
      d.state = { ...d.state, choices: [{ kind: 'intent', intent: 'consultation_book' }] };
      this.say(d, STRINGS[d.state.lang].noUpcoming);
      return true;
    }
    if (cancel && !move) this.askCancelConsultation(d, upcoming);
    else if (move && !cancel) this.booking.startMove(d, upcoming);
    else this.manageMenu(d, upcoming);
    return true;
  }

  private manageMenu(d: Draft, upcoming: UpcomingConsultation): void {
    const s = STRINGS[d.state.lang];
    d.intent = 'consultation_manage';
    const choices: Choice[] = [{ kind: 'keep' }, { kind: 'move', consultationId: upcoming.id }, { kind: 'cancel-consultation', consultationId: upcoming.id }];
    d.state = { ...d.state, choices };
    this.say(d, `${s.upcoming(this.describeUpcoming(upcoming, d.state.lang), upcoming.mode, upcoming.status)}\n${this.deps.composer.list(choices, d.state.lang)}`);
  }

  private askCancelConsultation(d: Draft, upcoming: UpcomingConsultation): void {
    d.intent = 'consultation_manage';
    d.state = { ...d.state, form: { kind: 'cancel-consultation', consultationId: upcoming.id }, choices: [] };
    this.say(d, STRINGS[d.state.lang].confirmCancel(this.describeUpcoming(upcoming, d.state.lang)));
  }

  private cancelAnswer(d: Draft, text: string): void {
    const form = d.state.form;
    if (form?.kind !== 'cancel-consultation') return;
    const s = STRINGS[d.state.lang];
    d.intent = 'consultation_manage';
    const answer = parseYesNo(text);
    if (answer === undefined) return this.say(d, s.yesNo);
    d.state = { ...d.state, form: undefined };
    if (answer === 'no') return this.say(d, s.kept);
    d.effects.push({ type: 'consultation.cancelled', id: form.consultationId, lang: d.state.lang });
    this.say(d, s.consultationCancelled);
  }

  private describeUpcoming(c: UpcomingConsultation, lang: Lang): string {
    return c.slot ? this.formatInterval(c.slot, lang) : (c.preference ?? '');
  }

  private formatInterval(slot: Interval, lang: Lang): string {
    return formatInterval(slot, this.deps.settings.timezone, lang);
  }

  private askErase(d: Draft): void {
    d.intent = 'privacy:delete';
    d.state = { ...d.state, form: { kind: 'erase' }, choices: [] };
    this.say(d, STRINGS[d.state.lang].confirmErase);
  }

  private eraseAnswer(d: Draft, text: string): void {
    const s = STRINGS[d.state.lang];
    d.intent = 'privacy:delete';
    const answer = parseYesNo(text);
    if (answer === undefined) return this.say(d, s.yesNo);
    d.state = { ...d.state, form: undefined };
    if (answer === 'no') return this.say(d, s.eraseKept);
    d.effects.push({ type: 'contact.erased', lang: d.state.lang });
    this.say(d, s.erased);
  }

  private notUnderstood(d: Draft, text: string, u: Understanding | undefined): void {
    const misses = d.state.misses + 1;
    const question = text.slice(0, 1000);
    const { composer } = this.deps;
    if (misses >= 2) {
      const choices: Choice[] = [{ kind: 'intent', intent: 'human' }, { kind: 'advice' }];
      d.state = { ...d.state, misses, choices, pendingQuestion: question };
      return this.say(d, composer.secondMiss(choices, d.state.lang));
    }
    const candidates = (u?.candidates ?? []).filter((c) => c.probability >= 0.08).slice(0, 3);
    if (u && u.top === NONE && u.confidence >= 0.5) {
      // Confidently outside what the firm's assistant covers (divorce, weather…): say so, and offer the menu.
      d.state = { ...d.state, misses, choices: [], pendingQuestion: question };
      return this.say(d, `${composer.explainer(NONE, d.state.lang)}\n\n*0* ${STRINGS[d.state.lang].menuZero}`);
    }
    const choices: Choice[] = candidates.map((c) => ({ kind: 'intent', intent: c.label }));
    d.state = { ...d.state, misses, choices, pendingQuestion: question };
    this.say(d, choices.length > 0 ? composer.didYouMean(choices, d.state.lang) : composer.notUnderstood(d.state.lang));
  }

  private urgent(d: Draft, text: string): void {
    d.intent = 'urgent_detention';
    d.state = { ...d.state, mode: 'urgent', urgentDetails: 0, misses: 0, choices: [], pendingQuestion: undefined, form: undefined };
    d.effects.push({ type: 'handoff.requested', kind: 'urgent', lang: d.state.lang, summary: summarise(text) });
    // The explainer itself opens by saying the team is being alerted now, at any hour.
    this.say(d, this.deps.composer.explainer('urgent_detention', d.state.lang));
  }

  private urgentDetails(d: Draft, text: string): void {
    d.intent = 'urgent_detention:details';
    const received = d.state.urgentDetails ?? 0;
    d.effects.push({ type: 'handoff.details', kind: 'urgent', text: text.slice(0, 4000) });
    d.state = { ...d.state, urgentDetails: received + 1 };
    // The first details message gets the full acknowledgement; later ones a short receipt.
    this.say(d, received === 0 ? STRINGS[d.state.lang].urgentDetailsThanks : STRINGS[d.state.lang].urgentMoreDetails);
  }

  private handoff(d: Draft, kind: HandoffKind, text: string): void {
    d.intent = kind;
    const s = STRINGS[d.state.lang];
    const when = this.whenStaff(kind, d.state.lang, d.now);
    if (isPaused(d.context.handoff, d.now, this.deps.settings.timing) && d.context.handoff.kind !== 'advice') {
      d.effects.push({ type: 'handoff.requested', kind, lang: d.state.lang, summary: summarise(text) });
      return this.say(d, s.alreadyInQueue(when));
    }
    const summary = summarise(d.state.pendingQuestion && kind !== 'urgent' ? d.state.pendingQuestion : text);
    d.state = { ...d.state, misses: 0, choices: [], pendingQuestion: undefined, remindedAt: undefined };
    d.effects.push({ type: 'handoff.requested', kind, lang: d.state.lang, summary });
    this.say(d, `${this.deps.composer.explainer('human', d.state.lang)}\n\n${when}`);
  }

  private advice(d: Draft): void {
    d.intent = 'advice';
    const question = d.state.pendingQuestion;
    if (!question) return this.say(d, STRINGS[d.state.lang].adviceNothing);
    d.state = { ...d.state, misses: 0, choices: [], pendingQuestion: undefined, remindedAt: undefined };
    d.effects.push({ type: 'handoff.requested', kind: 'advice', lang: d.state.lang, summary: summarise(question) });
    this.say(d, `${STRINGS[d.state.lang].adviceSent}\n${this.whenStaff('advice', d.state.lang, d.now)}`);
  }

  /** When a person will answer: now for an emergency, soon during office hours, else from the next opening. */
  whenStaff(kind: HandoffKind, lang: Lang, now: Date): string {
    const { hours, timezone } = this.deps.settings;
    const s = STRINGS[lang];
    if (kind === 'urgent') return s.urgentNow;
    const described = describeHours(hours, lang);
    if (isOpen(hours, timezone, now)) return s.whenOpen(described);
    const next = nextOpening(hours, timezone, now);
    return next ? s.whenClosed(formatOpening(next, timezone, lang), described) : s.whenOpen(described);
  }

  private say(d: Draft, text: string): void {
    const trimmed = text.trim();
    if (trimmed) d.replies.push(trimmed);
  }

  private finish(d: Draft, now: Date): TurnResult {
    let state: ConversationState = { ...d.state, lastTurnAt: now.toISOString() };
    const replies = [...d.replies];
    if (!state.noticeShown && replies.length > 0) {
      replies[0] = `${replies[0]}\n\n${this.deps.composer.notice(state.lang)}`;
      state = { ...state, noticeShown: true };
    }
    return { state, replies, effects: d.effects, analysis: { intent: d.intent, confidence: d.confidence, lang: state.lang } };
  }
}

/** "Monday, Nov 30, 9:00 AM" / "lunes 30 nov, 9:00" in the firm's time zone. */
export function formatOpening(at: Date, tz: string, lang: Lang): string {
  const format = new Intl.DateTimeFormat(lang === 'en' ? 'en-US' : 'es-US', {
    timeZone: tz, weekday: 'long', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', hour12: lang === 'en',
  });
  return format.format(at).replace(/\s+/g, ' ');
}

/** One line for staff: the first 140 characters, whitespace collapsed. */
export function summarise(text: string): string {
  return oneLine(text, 140);
}

