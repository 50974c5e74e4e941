/**
 * Flood protection (SPEC §11): past `max` messages in `windowMs`, messages are held (kept in the transcript, not
 * answered one by one) with one polite notice, and answered together once the limit lifts — when the client writes
 * again, or at a scheduled time if they do not. Emergencies never reach this gate (they are answered first).
 */
import type { Draft, Kit } from '../draft';
import { TURN_KINDS } from '../draft';
import type { Choice, FloodState, HeldMessage } from '../types';
import { absorbHeld, urgentOpen } from './urgent';

/** Default flood limit: 12 messages a minute. */
export const DEFAULT_FLOOD = { max: 12, windowMs: 60_000 } as const;
/** At most this many held messages are kept for the catch-up. */
const MAX_HELD = 20;

function limit(k: Kit) {
  return k.settings.flood ?? DEFAULT_FLOOD;
}

/**
 * Gate: counts the message; over the limit it is held. Under the limit with messages held, they are answered now,
 * together with this one.
 */
export function floodGate(k: Kit, d: Draft): boolean {
  if (!d.message) return false;
  const { max, windowMs } = limit(k);
  const at = d.message.receivedAt.getTime();
  const previous = d.state.flood;
  const times = [...(previous?.times ?? []).filter((t) => at - t < windowMs && t <= at), at].slice(-(max + 1));
  const held = previous?.held ?? [];
  if (times.length > max) {
    hold(k, d, { times, held, noticed: previous?.noticed ?? false, releaseAt: previous?.releaseAt }, at + windowMs);
    return true;
  }
  d.state = { ...d.state, flood: { times, held: [], noticed: false } };
  if (held.length === 0) return false;
  catchUp(k, d, [...held, { text: d.text, at: d.now.toISOString() }]);
  return true;
}

function hold(k: Kit, d: Draft, flood: FloodState, releaseAt: number): void {
  d.intent = TURN_KINDS.held;
  const held: HeldMessage[] = d.text ? [...flood.held, { text: d.text.slice(0, 1000), at: d.now.toISOString() }].slice(-MAX_HELD) : [...flood.held];
  const release = new Date(releaseAt).toISOString();
  const scheduled = flood.releaseAt !== undefined && flood.releaseAt > d.now.toISOString();
  d.state = { ...d.state, flood: { ...flood, held, noticed: true, releaseAt: scheduled ? flood.releaseAt : release } };
  if (!scheduled) d.effects.push({ type: 'release.scheduled', at: release });
  if (!flood.noticed) k.say(d, k.s(d).floodNotice);
}

/**
 * Scheduled work: the time to answer the held messages came. Still flooding → wait one more window; otherwise
 * answer them together.
 */
export function release(k: Kit, d: Draft): void {
  const flood = d.state.flood;
  if (!flood || flood.held.length === 0) return;
  const { max, windowMs } = limit(k);
  const now = d.now.getTime();
  const times = flood.times.filter((t) => now - t < windowMs);
  if (times.length > max) {
    const at = new Date(now + windowMs).toISOString();
    d.state = { ...d.state, flood: { ...flood, times, releaseAt: at } };
    d.effects.push({ type: 'release.scheduled', at });
    return;
  }
  d.state = { ...d.state, flood: { times, held: [], noticed: false } };
  catchUp(k, d, flood.held);
}

/**
 * One answer for several messages: a single topic is answered; several are offered as a numbered list; questions not
 * understood are offered to the team. A form in progress is asked again instead.
 */
function catchUp(k: Kit, d: Draft, held: readonly HeldMessage[]): void {
  const s = k.s(d);
  d.intent = TURN_KINDS.caughtUp;
  const texts = held.map((h) => h.text).filter((t) => t.trim());
  // In an open emergency the messages belong to the case, not to a list of topics.
  if (urgentOpen(d)) return absorbHeld(k, d, texts);
  k.say(d, s.caughtUp(texts.length));
  if (d.state.form?.kind === 'booking') return k.booking.repeat(d);
  const topics: string[] = [];
  const unclear: string[] = [];
  let possibleEmergency = false;
  for (const text of texts) {
    const u = k.nlu.understand(text, d.state.lang);
    if (u.urgency === 'possible') possibleEmergency = true;
    if (u.intent === 'none') unclear.push(text);
    else if (!['greeting', 'thanks', 'goodbye', 'menu'].includes(u.intent) && !topics.includes(u.intent)) topics.push(u.intent);
  }
  if (possibleEmergency) {
    const choices: Choice[] = [{ kind: 'emergency' }, ...topics.slice(0, 4).map((intent): Choice => ({ kind: 'intent', intent }))];
    d.state = { ...d.state, choices };
    return k.say(d, `${s.clarifyEmergency}\n${k.composer.list(choices, d.state.lang)}`);
  }
  if (topics.length === 1 && unclear.length === 0) return k.answer(d, topics[0], texts[texts.length - 1]);
  const choices: Choice[] = topics.slice(0, 5).map((intent) => ({ kind: 'intent', intent }));
  if (unclear.length > 0) choices.push({ kind: 'advice' });
  d.state = { ...d.state, choices, missed: unclear.length > 0 ? [unclear.join(' / ').slice(0, 1000)] : d.state.missed };
  if (choices.length === 0) return k.say(d, s.askQuestion);
  k.say(d, `${topics.length > 0 ? s.youAskedAbout : s.sendUnclearToTeam}\n${k.composer.list(choices, d.state.lang)}`);
}
