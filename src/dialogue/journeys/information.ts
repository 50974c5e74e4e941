/**
 * Journeys 1–3: general information, not understood, and the menu. A topic is answered with its explainer and
 * numbered next steps (its follow-up sections, booking, a person); a section is answered directly when the question
 * names it; a topic asked again gets its short reminder. Short follow-ups ("can I sue them?", "y cuánto cuesta?")
 * are read in the context of the topic just answered; acknowledgements and chit-chat never get an explainer.
 */
import { parseYesNo } from '../../booking/answers';
import { NONE, type IntentId } from '../../nlu/types';
import type { Draft, Kit } from '../draft';
import { TURN_KINDS } from '../draft';
import { MENU_INTENTS } from '../compose';
import { followUpTopic } from '../reading';
import { aboutAnotherCountry, followUpOf, isAcknowledgement, isPreamble, type FollowUp } from '../signals';
import type { Choice } from '../types';
import { startAdvice } from './advice';
import { askCancel, upcoming, manageMenu } from './consultations';
import { askNews, talkToPerson } from './handoff';
import { clarify } from './urgent';

const SMALL_TALK = new Set<IntentId>(['greeting', 'thanks', 'goodbye']);
/** Intents that are not topics with an explainer of their own. */
const NOT_TOPICS = new Set<IntentId>([...SMALL_TALK, 'menu', 'human', 'urgent_detention', 'consultation_book', NONE]);
/** A topic asked again within this time gets its reminder instead of the whole explainer. */
const REPEAT_MS = 24 * 3_600_000;
/** A follow-up is read in the context of a topic answered this recently. */
const FOLLOW_UP_MS = 30 * 60_000;
/** Topics that offer free general guidance among their next steps. */
const OFFERS_ADVICE = new Set<IntentId>(['fees', 'contact', 'other_immigration']);

/** Answers a topic (or the journey behind a non-topic intent). `text` is what the client wrote ('' for a pick). */
export function answer(k: Kit, d: Draft, intent: IntentId, text: string): void {
  d.state = { ...d.state, misses: 0, missed: undefined };
  switch (intent) {
    case 'menu':
      return k.menu(d);
    case 'human':
      return talkToPerson(k, d, text || 'Asked for a person from the menu');
    case 'urgent_detention':
      // Chosen from a list, not reported: ask before alerting anyone.
      return clarify(k, d);
    case 'consultation_book': {
      const next = upcoming(d);
      return next ? manageMenu(k, d, next) : k.booking.start(d);
    }
  }
  d.intent = intent;
  const lang = d.state.lang;
  const { composer } = k;
  if (SMALL_TALK.has(intent)) {
    d.state = { ...d.state, choices: [] };
    return k.say(d, composer.explainer(intent, lang));
  }
  const section = text ? composer.matchSection(intent, text, lang) : undefined;
  const recent = d.state.topics?.find((t) => t.intent === intent && d.now.getTime() - Date.parse(t.at) < REPEAT_MS);
  let body: string;
  if (section) body = composer.section(intent, section, lang) ?? composer.explainer(intent, lang);
  else if (recent) body = composer.reminder(intent, lang);
  else body = composer.explainer(intent, lang);
  remember(d, intent);
  const county = intent === 'about_287g' && text ? composer.county(text, lang) : undefined;
  if (county) body = county;
  nextSteps(k, d, intent, body, section);
}

/** Says `body` with the topic's next steps: its other sections, booking, a person (and free guidance where useful). */
function nextSteps(k: Kit, d: Draft, intent: IntentId, body: string, shownSection?: string): void {
  const choices: Choice[] = k.composer
    .sections(intent, d.state.lang)
    .filter((s) => s.id !== shownSection)
    .map((s): Choice => ({ kind: 'section', intent, section: s.id }));
  if (OFFERS_ADVICE.has(intent)) choices.push({ kind: 'advice' });
  choices.push({ kind: 'intent', intent: 'consultation_book' }, { kind: 'intent', intent: 'human' });
  d.state = { ...d.state, choices };
  k.say(d, `${body}\n\n${k.composer.footer(choices, d.state.lang)}`);
}

/** Answers one follow-up section of a topic. */
function answerSection(k: Kit, d: Draft, intent: IntentId, section: string): void {
  d.intent = intent;
  remember(d, intent);
  nextSteps(k, d, intent, k.composer.section(intent, section, d.state.lang) ?? k.composer.explainer(intent, d.state.lang), section);
}

function remember(d: Draft, intent: IntentId): void {
  if (NOT_TOPICS.has(intent)) return;
  const topics = [...(d.state.topics ?? []).filter((t) => t.intent !== intent), { intent, at: d.now.toISOString() }].slice(-5);
  d.state = { ...d.state, topics };
}

/** The numbered menu of topics. */
export function menu(k: Kit, d: Draft): void {
  const choices: Choice[] = MENU_INTENTS.map((intent) => ({ kind: 'intent', intent }));
  d.state = { ...d.state, choices, form: undefined, misses: 0 };
  k.say(d, k.composer.menu(choices, d.state.lang));
}

/** A bare number: picks from the last list shown; before any list was shown, it shows the menu (it picks nothing). */
export function pick(k: Kit, d: Draft, value: number): void {
  const list = d.state.choices;
  if (list.length === 0) return menu(k, d);
  const choice = list[value - 1];
  if (!choice) return k.say(d, k.s(d).pickFromList(list.length));
  choose(k, d, choice);
}

/** Carries out a list entry. */
export function choose(k: Kit, d: Draft, choice: Choice): void {
  const s = k.s(d);
  switch (choice.kind) {
    case 'advice':
      return startAdvice(k, d);
    case 'emergency':
      return k.urgent(d);
    case 'news':
      return askNews(k, d);
    case 'keep':
      d.state = { ...d.state, choices: [] };
      return k.say(d, s.kept);
    case 'move': {
      const next = d.context.consultations.find((c) => c.id === choice.consultationId);
      return next ? k.booking.startMove(d, next) : k.say(d, s.noUpcoming);
    }
    case 'cancel-consultation': {
      const next = d.context.consultations.find((c) => c.id === choice.consultationId);
      return next ? askCancel(k, d, next) : k.say(d, s.noUpcoming);
    }
    case 'section':
      return answerSection(k, d, choice.intent, choice.section);
    case 'intent':
      d.intent = choice.intent;
      return answer(k, d, choice.intent, '');
  }
}

/** Not understood: "did you mean…" with the candidates; a second miss in a row offers a person or the team. */
export function notUnderstood(k: Kit, d: Draft): void {
  const u = d.understanding;
  const s = k.s(d);
  d.intent = NONE;
  const misses = d.state.misses + 1;
  const missed = [...(d.state.missed ?? []), d.text.slice(0, 1000)].slice(-3);
  if (misses >= 2) {
    const choices: Choice[] = [{ kind: 'intent', intent: 'human' }, { kind: 'advice' }];
    d.state = { ...d.state, misses, missed, choices };
    return k.say(d, k.composer.secondMiss(choices, d.state.lang));
  }
  if (u && u.top === NONE && u.confidence >= 0.5) {
    // Confidently outside what the firm's assistant covers (divorce, weather…): say so, and offer the menu.
    d.state = { ...d.state, misses, missed, choices: [] };
    return k.say(d, `${k.composer.explainer(NONE, d.state.lang)}\n\n*0* ${s.menuZero}`);
  }
  const candidates = (u?.candidates ?? []).filter((c) => c.probability >= 0.08 && !SMALL_TALK.has(c.label) && c.label !== 'menu').slice(0, 3);
  const choices: Choice[] = candidates.map((c) => ({ kind: 'intent', intent: c.label }));
  d.state = { ...d.state, misses, missed, choices };
  k.say(d, choices.length > 0 ? k.composer.didYouMean(choices, d.state.lang) : k.composer.notUnderstood(d.state.lang));
}

/**
 * Gate: "si", "ok", "oye", "jaja": never a topic. A yes to a question with one obvious answer takes it ("si" after
 * "did you mean: 1 …", or after "is someone being detained?"); anything else gets a short prompt.
 */
export function acknowledgementGate(k: Kit, d: Draft): boolean {
  if (!d.text) return false;
  const u = k.understand(d);
  if (isPreamble(u.tokens)) {
    k.followLanguage(d);
    d.intent = TURN_KINDS.ack;
    // A new open question: a yes or a number later does not answer a list shown before it.
    d.state = { ...d.state, choices: [] };
    k.say(d, k.s(d).askQuestion);
    return true;
  }
  if (!isAcknowledgement(u.tokens) || SMALL_TALK.has(u.intent)) return false;
  const yes = parseYesNo(d.text);
  const first = d.state.choices[0];
  const candidates = d.state.choices.filter((c) => c.kind === 'intent' || c.kind === 'emergency');
  if (yes === 'yes' && first?.kind === 'emergency') {
    k.urgent(d);
    return true;
  }
  if (yes === 'yes' && candidates.length === 1 && d.state.choices.length <= 2) {
    choose(k, d, candidates[0]);
    return true;
  }
  d.intent = TURN_KINDS.ack;
  // "Is someone being detained now?" answered with something else ("oye"): a later "si" must not raise an alert
  // for a question no longer on screen. Other lists stay, so "ok" then "2" still picks from them.
  if (first?.kind === 'emergency') d.state = { ...d.state, choices: [] };
  k.say(d, yes === 'no' ? k.s(d).askQuestion : k.s(d).ackPrompt);
  return true;
}

/** Gate: other scripts, emoji only, or immigration to another country: said plainly, with the menu. */
export function outOfScopeGate(k: Kit, d: Draft): boolean {
  if (!d.text) return false;
  const u = k.understand(d);
  const s = k.s(d);
  if (u.foreignScript) {
    d.intent = TURN_KINDS.outOfScope;
    k.say(d, s.otherLanguage);
    return true;
  }
  if (u.emojiOnly) {
    d.intent = TURN_KINDS.ack;
    k.say(d, s.emojiOnly);
    return true;
  }
  if (aboutAnotherCountry(d.text)) {
    k.followLanguage(d);
    d.intent = TURN_KINDS.outOfScope;
    d.state = { ...d.state, choices: [] };
    k.say(d, `${s.otherCountry}\n\n*0* ${s.menuZero}`);
    return true;
  }
  return false;
}

/** Gate: a short follow-up about the topic just answered ("can i sue them?", "y cuanto cuesta?", "how long?"). */
export function followUpGate(k: Kit, d: Draft): boolean {
  if (!d.text) return false;
  const last = d.state.topics?.[d.state.topics.length - 1];
  if (!last || d.now.getTime() - Date.parse(last.at) > FOLLOW_UP_MS) return false;
  const kind = followUpOf(d.text);
  if (!kind) return false;
  k.followLanguage(d);
  followUp(k, d, last.intent, kind);
  return true;
}

function followUp(k: Kit, d: Draft, topic: IntentId, kind: FollowUp): void {
  const lang = d.state.lang;
  switch (kind) {
    case 'sue': {
      const target = followUpTopic(topic, kind);
      const section = k.composer.sections(target, lang).find((s) => s.id === 'sue');
      if (section) return answerSection(k, d, target, section.id);
      d.intent = target;
      return answer(k, d, target, '');
    }
    case 'cost':
      d.intent = 'fees';
      return answer(k, d, 'fees', '');
    case 'how-long': {
      const section = k.composer.sections(topic, lang).find((s) => s.id === 'how-long' || s.id === 'timing');
      if (section) return answerSection(k, d, topic, section.id);
      d.intent = topic;
      return nextSteps(k, d, topic, `${k.composer.reminder(topic, lang)}\n\n${k.s(d).timingDepends}`);
    }
    case 'what-next':
      d.intent = topic;
      return nextSteps(k, d, topic, `${k.composer.reminder(topic, lang)}\n\n${k.s(d).whatNext}`);
  }
}

/** The last gate: understand the question and answer it, or say it was not understood. */
export function informationGate(k: Kit, d: Draft): boolean {
  const u = k.understand(d);
  k.followLanguage(d);
  d.confidence = u.confidence;
  if (u.intent === NONE) notUnderstood(k, d);
  else answer(k, d, u.intent, d.text);
  return true;
}
