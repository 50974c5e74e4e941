/**
 * The conversation engine: (state, message, time) → (state, replies, effects). Pure and deterministic: no I/O, no
 * clock of its own, no randomness. Understanding comes from an injected {@link Understander}.
 *
 * Journeys (SPEC §2): 1 general information, 2 not understood, 3 menu, 7 urgent detention; commands of §6;
 * language switching (§3). Handoffs are returned as effects for the turn runner to carry out.
 */
import { cleanText, MAX_NLU_CHARS } from '../nlu/normalise';
import { NONE, type IntentId, type Lang } from '../nlu/types';
import type { Understanding } from '../nlu/nlu';
import { parseCommand, type Command } from './commands';
import { Composer, MENU_INTENTS } from './compose';
import { STRINGS } from './strings';
import type { Choice, ConversationState, Effect, HandoffKind, InboundMessage, TurnResult } from './types';

/** The slice of understanding the engine needs; `Nlu` implements it. */
export interface Understander {
  understand(text: string, hint?: Lang): Understanding;
}

/** Intents answered with their explainer and no "next steps" footer. */
const SMALL_TALK = new Set<IntentId>(['greeting', 'thanks', 'goodbye']);

/** After this long without messages, earlier misses no longer count toward "a second miss in a row". */
const MISS_MEMORY_MS = 30 * 60 * 1000;

/** Detection must be at least this sure before it changes a conversation's language. */
const SWITCH_CONFIDENCE = 0.75;
/** …and this sure, on a message of three words or more, once the client chose a language explicitly. */
const OVERRIDE_CHOSEN_CONFIDENCE = 0.97;

/** A new conversation's state; the language is set from the first message. */
export function initialState(lang: Lang = 'en'): ConversationState {
  return { lang, langChosen: false, noticeShown: false, misses: 0, choices: [], mode: 'chat', stopped: false };
}

interface Draft {
  state: ConversationState;
  replies: string[];
  effects: Effect[];
  intent: IntentId | null;
  confidence: number | null;
}

/** Dependencies of the engine. */
export interface EngineDeps {
  readonly nlu: Understander;
  readonly composer: Composer;
}

/** Decides each turn of a conversation. */
export class DialogueEngine {
  constructor(private readonly deps: EngineDeps) {}

  /**
   * Handles one inbound message. `state` is undefined for a client never seen before. Never throws for any input
   * text; every reply it returns is non-empty.
   */
  handle(previous: ConversationState | undefined, message: InboundMessage, now: Date): TurnResult {
    const isNew = previous === undefined;
    let state = previous ?? initialState();
    if (state.lastTurnAt && now.getTime() - Date.parse(state.lastTurnAt) > MISS_MEMORY_MS) state = { ...state, misses: 0 };
    const draft: Draft = { state, replies: [], effects: [], intent: null, confidence: null };
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
      return; // a stopped conversation gets no reply at all
    }
    if (message.type !== 'text' && !text) return this.say(d, STRINGS[d.state.lang].pleaseType);
    if (!text) return this.say(d, STRINGS[d.state.lang].empty);
    if (command) {
      // A first message that is a command word ("menú") sets the language only when the word is unmistakable.
      const u = isNew && command.type !== 'language' ? this.deps.nlu.understand(text) : undefined;
      if (u && u.languageConfidence >= 0.9) d.state = { ...d.state, lang: u.language };
      return this.command(d, command, text);
    }
    const understanding = this.deps.nlu.understand(text, isNew ? undefined : d.state.lang);
    this.updateLanguage(d, understanding, isNew);
    d.confidence = understanding.confidence;
    if (understanding.foreignScript) return this.say(d, STRINGS[d.state.lang].otherLanguage);
    if (understanding.emojiOnly) return this.say(d, STRINGS[d.state.lang].emojiOnly);
    if (d.state.mode === 'urgent' && !understanding.urgent && !SMALL_TALK.has(understanding.intent)) {
      return this.urgentDetails(d, text);
    }
    if (understanding.urgent) return this.urgent(d, text);
    d.intent = understanding.intent;
    if (understanding.intent === NONE) this.notUnderstood(d, text, understanding);
    else this.answer(d, understanding.intent, text);
  }

  private command(d: Draft, command: Command, text: string): void {
    const s = STRINGS[d.state.lang];
    d.intent = `command:${command.type}`;
    switch (command.type) {
      case 'menu':
        d.state = { ...d.state, mode: 'chat', misses: 0 };
        return this.menu(d);
      case 'number':
        return this.pick(d, command.value);
      case 'human':
        return this.handoff(d, 'human', text);
      case 'language':
        d.state = { ...d.state, lang: command.lang, langChosen: true };
        return this.say(d, STRINGS[command.lang].languageSet);
      case 'cancel':
        d.state = { ...d.state, mode: 'chat', choices: [], misses: 0, pendingQuestion: undefined };
        return this.say(d, s.cancelled);
      case 'stop':
        d.state = { ...d.state, stopped: true, mode: 'chat', choices: [] };
        return this.say(d, s.stopped);
      case 'start':
        return this.start(d);
      case 'urgent':
        return this.urgent(d, text);
      case 'delete':
      case 'staff-resume':
        // Erasure and staff take-over are handled by the privacy and handoff modules; here they are questions.
        d.intent = null;
        return this.notUnderstood(d, text, undefined);
    }
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
    const { composer } = this.deps;
    if (SMALL_TALK.has(intent)) {
      d.state = { ...d.state, choices: [] };
      return this.say(d, composer.explainer(intent, d.state.lang));
    }
    const next: Choice[] = intent === 'consultation_book' ? [{ kind: 'intent', intent: 'human' }] : [
      { kind: 'intent', intent: 'consultation_book' },
      { kind: 'intent', intent: 'human' },
    ];
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
    if (choice.kind === 'advice') return this.advice(d);
    d.intent = choice.intent;
    this.answer(d, choice.intent, '');
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
    d.state = { ...d.state, mode: 'urgent', urgentDetails: 0, misses: 0, choices: [], pendingQuestion: undefined };
    d.effects.push({ type: 'handoff.requested', kind: 'urgent', lang: d.state.lang, summary: summarise(text) });
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
    const summary = summarise(d.state.pendingQuestion && kind !== 'urgent' ? d.state.pendingQuestion : text);
    d.state = { ...d.state, misses: 0, choices: [] };
    d.effects.push({ type: 'handoff.requested', kind, lang: d.state.lang, summary });
    this.say(d, this.deps.composer.explainer('human', d.state.lang));
  }

  private advice(d: Draft): void {
    d.intent = 'advice';
    const question = d.state.pendingQuestion;
    if (!question) return this.say(d, STRINGS[d.state.lang].adviceNothing);
    d.state = { ...d.state, misses: 0, choices: [], pendingQuestion: undefined };
    d.effects.push({ type: 'handoff.requested', kind: 'advice', lang: d.state.lang, summary: summarise(question) });
    this.say(d, STRINGS[d.state.lang].adviceSent);
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

/** One line for staff: the first 140 characters, whitespace collapsed. */
function summarise(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 140 ? `${line.slice(0, 139)}…` : line;
}
