/**
 * The handoff lifecycle (SPEC §2 journeys 4–8): one open handoff per chat; a more urgent request escalates it, a new
 * emergency in an open emergency alerts staff again, and a repeated request only renews the pause. Pure decisions;
 * `turn/apply.ts` carries them out through the storage port.
 */
import type { HandoffKind } from '../dialogue/types';
import { HANDOFF_PRIORITY } from '../store';

/** What to do with a request for a person, given the chat's open handoff. */
export type HandoffDecision =
  /** No handoff is open: open one and tell staff. */
  | { readonly action: 'open'; readonly notify: true }
  /** A more urgent request: the open handoff takes the new kind and staff are told it escalated. */
  | { readonly action: 'escalate'; readonly notify: true }
  /**
   * The open handoff stays as it is (its pause renewed). Staff are told when the request is news: a new emergency,
   * a new consultation request or a question for the team; not when a client asks for a person twice.
   */
  | { readonly action: 'renew'; readonly notify: boolean; readonly again: boolean };

/** Decides how a request of `kind` changes the open handoff (of kind `open`, if any). */
export function nextHandoff(open: HandoffKind | undefined, kind: HandoffKind): HandoffDecision {
  if (open === undefined) return { action: 'open', notify: true };
  if (HANDOFF_PRIORITY[kind] < HANDOFF_PRIORITY[open]) return { action: 'escalate', notify: true };
  const again = kind === 'urgent' && open === 'urgent';
  return { action: 'renew', notify: again || kind === 'consultation' || kind === 'advice', again };
}

/** Whether a handoff of this kind keeps the bot out of the conversation until a person answers (journey 6). */
export function waitsForPerson(kind: HandoffKind): boolean {
  return kind === 'human';
}
