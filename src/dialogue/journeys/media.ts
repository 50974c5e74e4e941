/**
 * Gate: voice notes, photos, files (no words to understand). In an open emergency they are acknowledged in the
 * client's language and noted on the case for staff; while staff are writing in the chat, they see it themselves;
 * while the client waits for the team, a file that was kept is said to be with their request (and typing is asked
 * for too); otherwise the client is asked, in their language, to type.
 */
import type { Draft, Kit } from '../draft';
import { TURN_KINDS } from '../draft';
import { STRINGS } from '../strings';
import type { MessageType } from '../types';
import { staffActive, urgentOpen } from './urgent';

/** The note staff see on the case (in English, like every staff text). */
const NOTE: Readonly<Record<string, string>> = { voice: 'The client sent a voice note', image: 'The client sent a photo', video: 'The client sent a video', document: 'The client sent a file' };
const noteFor = (type: MessageType) => NOTE[type] ?? `The client sent a ${type} message`;

export function mediaGate(k: Kit, d: Draft): boolean {
  const message = d.message;
  if (!message || message.type === 'text' || d.text) return false;
  const s = k.s(d);
  d.intent = TURN_KINDS.media;
  if (staffActive(k, d)) return true;
  if (urgentOpen(d)) {
    d.effects.push({ type: 'handoff.details', note: noteFor(message.type) });
    const last = d.state.urgent?.lastReply;
    const key = `media:${message.type}`;
    k.say(d, last === key ? s.mediaAgain : s.mediaReceived(message.type));
    d.state = { ...d.state, urgent: { ...(d.state.urgent ?? { details: {} }), lastReply: key } };
    return true;
  }
  // Waiting for the team (a person, a question, a consultation) and the file was kept: staff will see it there.
  if (d.context.handoff && message.attachment) {
    k.say(d, s.mediaForTeam(message.type));
    return true;
  }
  // A client never seen before has no language yet: ask in both.
  k.say(d, d.isNew ? `${STRINGS.es.pleaseType}\n${STRINGS.en.pleaseType}` : s.pleaseType);
  return true;
}
