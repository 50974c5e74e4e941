/**
 * How the engine reads a message before any journey acts on it, without the conversation's state: the classifier's
 * intent corrected by the engine's wording rules (an emergency in progress, a preamble or an acknowledgement, another
 * country), and — given the topic just answered — a short follow-up read in its context. `npx puente eval` measures
 * this, so the numbers are what clients get, not only what the classifier says.
 */
import type { Understanding } from '../nlu/nlu';
import { NONE, type IntentId } from '../nlu/types';
import { aboutAnotherCountry, followUpOf, isAcknowledgement, isPreamble, type FollowUp } from './signals';

const SMALL_TALK = new Set<IntentId>(['greeting', 'thanks', 'goodbye']);

/** "Can I sue them?" after a topic: which remedy it asks about (the rest: a civil-rights lawsuit). */
export const SUE_TARGET: ReadonlyMap<IntentId, IntentId> = new Map([
  ['uscis_delay', 'mandamus'],
  ['mandamus', 'mandamus'],
  ['injunction', 'injunction'],
]);

/** The topic a follow-up of `kind` asks about, after `topic` was answered. */
export function followUpTopic(topic: IntentId, kind: FollowUp): IntentId {
  switch (kind) {
    case 'sue':
      return SUE_TARGET.get(topic) ?? 'civil_rights_lawsuit';
    case 'cost':
      return 'fees';
    case 'how-long':
    case 'what-next':
      return topic;
  }
}

/** The intent the engine acts on for `text` (understood as `u`), after `previous` was answered if given. */
export function readMessage(u: Understanding, text: string, previous?: IntentId): IntentId {
  if (u.urgency === 'now') return 'urgent_detention';
  const kind = previous ? followUpOf(text) : undefined;
  if (previous && kind) return followUpTopic(previous, kind);
  if (u.urgency === 'possible') return NONE; // one clarifying question, not an answer
  if (aboutAnotherCountry(text) || isPreamble(u.tokens)) return NONE;
  if (isAcknowledgement(u.tokens) && !SMALL_TALK.has(u.intent)) return NONE;
  return u.intent;
}
