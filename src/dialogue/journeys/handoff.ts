/**
 * Journeys 6 and 8: talking to a person, waiting for one, staff writing in the chat, and a client who comes back
 * after their case was closed. What each kind of handoff does to the conversation:
 * - `human` (waiting for a person): the bot keeps out of small talk but answers commands, emergencies and clear
 *   questions (briefly, saying a person will also reply), with one "you are in the queue" reminder per interval;
 * - `consultation` and `advice`: the conversation goes on as usual;
 * - any kind, once staff write in the chat: the bot is quiet there until the handoff ends, `#bot`, or the idle time.
 */
import { describeHours, isOpen, nextOpening } from '../../booking/office-hours';
import { isPaused, reminderDue } from '../../handoff/policy';
import type { Lang } from '../../nlu/types';
import { summarise } from '../../text';
import type { Draft, Kit } from '../draft';
import { TURN_KINDS } from '../draft';
import { asksForNews, isAcknowledgement } from '../signals';
import { STRINGS } from '../strings';
import type { Choice, HandoffKind } from '../types';
import { manageMenu, upcoming } from './consultations';

const SMALL_TALK = new Set(['greeting', 'thanks', 'goodbye']);
/** A closed case is remembered this long: a client writing within it is welcomed back, not as a stranger. */
const REMEMBER_CASE_MS = 60 * 86_400_000;

/** Asks for a person: opens (or renews) a `human` handoff and says when someone will answer. */
export function talkToPerson(k: Kit, d: Draft, summary: string): void {
  d.intent = 'human';
  const s = k.s(d);
  const when = k.whenStaff('human', d.state.lang, d.now);
  const open = d.context.handoff;
  d.effects.push({ type: 'handoff.requested', kind: 'human', lang: d.state.lang, summary: summarise(summary) });
  d.state = { ...d.state, misses: 0, choices: [], form: undefined, remindedAt: undefined };
  if (open && isPaused(open, d.now, k.settings.timing) && (open.kind === 'human' || open.kind === 'urgent')) return k.say(d, s.alreadyInQueue(when));
  k.say(d, `${k.composer.explainer('human', d.state.lang)}\n\n${when}`);
}

/**
 * Gate: staff are writing in this chat: the bot is quiet (the message is in the transcript for them). Asking about
 * one's own booking stays self-service.
 */
export function staffPausedGate(k: Kit, d: Draft): boolean {
  const h = d.context.handoff;
  if (!h || !h.lastStaffAt || !isPaused(h, d.now, k.settings.timing)) return false;
  const next = upcoming(d);
  if (d.text && next && k.understand(d).intent === 'consultation_book') {
    manageMenu(k, d, next);
    return true;
  }
  d.intent = TURN_KINDS.paused;
  return true;
}

/**
 * Gate: the client waits for a person (no staff reply yet). Clear questions get a short answer and the reminder that
 * a person will also reply; small talk and what the bot cannot place get nothing but, once per interval, the
 * reminder that they are in the queue.
 */
export function waitingGate(k: Kit, d: Draft): boolean {
  const h = d.context.handoff;
  if (!h || h.kind !== 'human' || !isPaused(h, d.now, k.settings.timing)) return false;
  const s = k.s(d);
  d.intent = TURN_KINDS.waiting;
  if (!d.text) return true;
  const u = k.understand(d);
  const next = upcoming(d);
  if (u.intent === 'consultation_book' && next) {
    manageMenu(k, d, next);
    return true;
  }
  if (u.intent === 'human') {
    k.say(d, s.alreadyInQueue(k.whenStaff('human', d.state.lang, d.now)));
    return true;
  }
  const clear = u.intent !== 'none' && !SMALL_TALK.has(u.intent) && u.intent !== 'menu' && !isAcknowledgement(u.tokens);
  if (clear) {
    k.followLanguage(d);
    d.intent = u.intent;
    d.confidence = u.confidence;
    k.say(d, `${k.composer.reminder(u.intent, d.state.lang)}\n${s.disclaimer}\n\n${s.personWillAlsoReply}`);
    return true;
  }
  if (!reminderDue(h, d.state.remindedAt, d.now, k.settings.timing)) return true;
  d.state = { ...d.state, remindedAt: d.now.toISOString() };
  k.say(d, s.queueReminder(k.whenStaff(h.kind, d.state.lang, d.now)));
  return true;
}

/**
 * Gate: a client whose case was closed comes back. Asking for news reaches the team (a new handoff); a greeting is
 * welcomed back with that option first.
 */
export function returningGate(k: Kit, d: Draft): boolean {
  if (!d.text || d.context.handoff) return false;
  const past = d.context.pastCase;
  const recent = past !== undefined && d.now.getTime() - Date.parse(past.resolvedAt) < REMEMBER_CASE_MS;
  if (asksForNews(d.text) && (recent || d.context.consultations.length > 0)) {
    k.followLanguage(d);
    askNews(k, d);
    return true;
  }
  if (!recent) return false;
  const u = k.understand(d);
  if (u.intent !== 'greeting' && !(isAcknowledgement(u.tokens) && d.state.choices.length === 0)) return false;
  k.followLanguage(d);
  d.intent = 'greeting';
  const choices: Choice[] = [{ kind: 'news' }, { kind: 'intent', intent: 'menu' }];
  d.state = { ...d.state, choices };
  const name = past?.details?.name;
  k.say(d, `${k.s(d).welcomeBack(past!.kind, name)}\n${k.composer.list(choices, d.state.lang)}`);
  return true;
}

/** Asks the team for news of the client's case. */
export function askNews(k: Kit, d: Draft): void {
  d.intent = TURN_KINDS.news;
  const past = d.context.pastCase;
  const who = past?.details?.name ? ` (${past.details.name})` : '';
  d.effects.push({ type: 'handoff.requested', kind: 'human', lang: d.state.lang, summary: summarise(`Asks for news of their ${past?.kind ?? 'earlier'} case${who}: ${d.text}`) });
  d.state = { ...d.state, choices: [], remindedAt: undefined };
  k.say(d, `${k.s(d).newsAsked}\n${k.whenStaff('human', d.state.lang, d.now)}`);
}

/** When a person will answer: now for an emergency, soon during office hours, else from the next opening. */
export function whenStaff(k: Pick<Kit, 'settings'>, kind: HandoffKind, lang: Lang, now: Date): string {
  const { hours, timezone } = k.settings;
  const s = STRINGS[lang];
  if (kind === 'urgent') return s.urgentNow;
  const described = describeHours(hours, lang);
  if (isOpen(hours, timezone, now)) return s.whenOpen(described);
  const next = nextOpening(hours, timezone, now);
  return next ? s.whenClosed(formatOpening(next, timezone, lang), described) : s.whenOpen(described);
}

/** "Monday, Nov 30, 9:00 AM" / "lunes 30 nov, 9:00" in the firm's time zone. */
export function formatOpening(at: Date, tz: string, lang: Lang): string {
  const format = new Intl.DateTimeFormat(lang === 'en' ? 'en-US' : 'es-US', {
    timeZone: tz, weekday: 'long', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', hour12: lang === 'en',
  });
  return format.format(at).replace(/\s+/g, ' ');
}
