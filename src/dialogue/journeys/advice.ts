/**
 * Journey 4, complimentary general advice: the client sends a question to the team for free, asked for in words
 * ("can I send my question to the lawyer for free", "quiero mandarle mi pregunta al abogado") or chosen after two
 * misses. Puente asks for the question itself unless it already has a real one (never a filler such as "idk"),
 * sends that question to staff, and says when to expect an answer. The bot keeps answering other questions meanwhile,
 * and a question it cannot place while the team has one pending is added to it.
 */
import { summarise } from '../../text';
import type { Draft, Kit } from '../draft';
import { TURN_KINDS } from '../draft';
import { carriesQuestion, isRealQuestion, wantsFreeAdvice, wantsToLeave } from '../signals';

/** Gate: free advice asked for in words. */
export function adviceWordsGate(k: Kit, d: Draft): boolean {
  if (!d.text || d.command || !wantsFreeAdvice(d.text)) return false;
  k.followLanguage(d);
  // "Free advice: my work permit has been pending since March, what can I do?" carries its own question.
  startAdvice(k, d, carriesQuestion(d.text) ? d.text : undefined);
  return true;
}

/**
 * Starts journey 4: sends `question` when it is a real one, else the most recent real question the bot missed,
 * else asks for it.
 */
export function startAdvice(k: Kit, d: Draft, question?: string): void {
  d.intent = TURN_KINDS.advice;
  const fromMisses = [...(d.state.missed ?? [])].reverse().find((q) => isRealQuestion(q));
  const real = question ?? fromMisses;
  if (real) return send(k, d, real, question === undefined);
  d.state = { ...d.state, form: { kind: 'advice', retries: 0 }, choices: [] };
  k.say(d, k.s(d).adviceAsk);
}

/** The answer to "please write your question": sent when it is a real question, asked again otherwise. */
export function adviceAnswer(k: Kit, d: Draft): void {
  const form = d.state.form;
  if (form?.kind !== 'advice') return;
  const s = k.s(d);
  d.intent = TURN_KINDS.advice;
  if (wantsToLeave(d.text)) {
    d.state = { ...d.state, form: undefined };
    return k.say(d, s.adviceLeft);
  }
  if (isRealQuestion(d.text)) {
    d.state = { ...d.state, form: undefined };
    return send(k, d, d.text, false);
  }
  d.state = { ...d.state, form: { kind: 'advice', retries: form.retries + 1 } };
  k.say(d, form.retries >= 1 ? s.adviceAskPerson : s.adviceAskAgain);
}

/**
 * Gate: a question for the team is pending and the client writes something the bot cannot place: it is added to the
 * question (and said so), instead of "I did not understand".
 */
export function adviceFollowGate(k: Kit, d: Draft): boolean {
  const h = d.context.handoff;
  if (!d.text || h?.kind !== 'advice' || h.lastStaffAt) return false;
  const u = k.understand(d);
  if (u.intent !== 'none' || !isRealQuestion(d.text)) return false;
  d.intent = TURN_KINDS.advice;
  d.effects.push({ type: 'handoff.details', note: summarise(d.text) });
  k.say(d, k.s(d).adviceAdded);
  return true;
}

function send(k: Kit, d: Draft, question: string, fromEarlier: boolean): void {
  const s = k.s(d);
  d.state = { ...d.state, misses: 0, missed: undefined, choices: [], remindedAt: undefined };
  d.effects.push({ type: 'handoff.requested', kind: 'advice', lang: d.state.lang, summary: summarise(question) });
  const when = k.whenStaff('advice', d.state.lang, d.now);
  k.say(d, [s.adviceSent(summarise(question), fromEarlier), when, k.composer.emailLine(d.state.lang)].filter(Boolean).join('\n'));
}
