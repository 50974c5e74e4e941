/**
 * Journey 7, urgent detention (SPEC §2.7): the urgent path, the open emergency case that listens (details read and
 * acknowledged, short questions answered, never the same line twice), and the one clarifying question for messages
 * that only might be an emergency.
 */
import { isPaused } from '../../handoff/policy';
import { atTheDoor } from '../../nlu/urgency';
import { summarise } from '../../text';
import { addedDetails, extractDetails, mergeDetails, missingFields } from '../case-details';
import type { Draft, Kit } from '../draft';
import { TURN_KINDS } from '../draft';
import { aboutAnotherCountry, isAcknowledgement, isPreamble, urgentQuestionOf } from '../signals';
import type { CaseDetails, Choice } from '../types';

/** After this long, an emergency reported again in an open case is news (staff alerted again) whatever its words. */
const REALERT_AFTER_MS = 2 * 3_600_000;
/** Agents reported at the door again within this long, while staff talk with the client, are the same emergency. */
const SAME_DOOR_MS = 30 * 60_000;

/** True while the chat has an open emergency case. */
export function urgentOpen(d: Draft): boolean {
  return d.context.handoff?.kind === 'urgent';
}

/** Staff are writing in the chat: the bot keeps quiet there, but still reads details into the case. */
export function staffActive(k: Kit, d: Draft): boolean {
  const h = d.context.handoff;
  return h !== undefined && h.lastStaffAt !== undefined && isPaused(h, d.now, k.settings.timing);
}

/**
 * Gate 1: an emergency wins over every state (after `stop`, during a flood, in a form, in any handoff, while staff
 * have paused the bot). In an open emergency, a message that only adds details goes to the case instead, unless it
 * says agents are at the door again or the last alert is hours old.
 */
export function emergencyGate(k: Kit, d: Draft): boolean {
  if (!d.text) return false;
  if (d.command && d.command.type !== 'urgent') return false;
  if (d.command?.type !== 'urgent') {
    const u = k.understand(d);
    if (u.urgency !== 'now') return false;
    if (urgentOpen(d) && !newEmergency(k, d, atTheDoor(u.tokens))) return false;
    k.followLanguage(d);
  }
  k.urgent(d);
  return true;
}

/**
 * In an open emergency case, whether an urgent message is a new emergency (the rights again, staff alerted again):
 * agents at the door — unless staff are already talking with the client about agents at the door ("yes they are still
 * here" answers them) — or any emergency once the case has been quiet for hours.
 */
function newEmergency(k: Kit, d: Draft, door: boolean): boolean {
  const quietFor = d.now.getTime() - Date.parse(d.context.handoff!.activityAt);
  if (!door) return quietFor >= REALERT_AFTER_MS;
  const doorAt = d.state.urgent?.doorAt;
  const sameDoor = doorAt !== undefined && d.now.getTime() - Date.parse(doorAt) < SAME_DOOR_MS;
  return !(sameDoor && staffActive(k, d));
}

/** The urgent path: the rights now, how to find the person and what to send us, the case opened and staff alerted. */
export function urgentPath(k: Kit, d: Draft): void {
  const again = urgentOpen(d);
  const known = mergeDetails(d.context.handoff?.details, d.state.urgent?.details);
  const found = d.text ? extractDetails(d.text) : {};
  const details = mergeDetails(known, found) ?? {};
  d.intent = 'urgent_detention';
  d.state = {
    ...d.state,
    // A client who had written `stop` and now writes in an emergency has come back: the conversation is open again.
    misses: 0, missed: undefined, choices: [], form: undefined, stopped: false,
    urgent: { details, lastReply: 'alert', doorAt: atDoor(k, d) ? d.now.toISOString() : d.state.urgent?.doorAt },
  };
  d.effects.push({
    type: 'handoff.requested', kind: 'urgent', lang: d.state.lang, summary: summarise(d.text || d.state.urgent?.details.name || 'emergency'),
    details: Object.keys(found).length > 0 ? found : undefined,
  });
  const s = k.s(d);
  k.say(d, k.composer.explainer('urgent_detention', d.state.lang));
  if (again) {
    // They already have the locator: say the team was alerted again and ask only for what is missing.
    k.say(d, [s.urgentAgain, askFor(k, d, details)].filter(Boolean).join('\n'));
    return;
  }
  // Worth saying back only when the first message named the person (not just "right now").
  const named = (['name', 'birthDate', 'country', 'aNumber', 'place'] as const).some((f) => found[f]);
  const captured = named ? s.urgentCaptured(describe(k, d, found)) : '';
  // Agents at the door and nobody named: the locator is for if they take someone.
  const ifTaken = !named && atDoor(k, d) ? s.urgentIfTaken : '';
  const find = k.composer.section('urgent_detention', 'find', d.state.lang) ?? s.urgentFind;
  k.say(d, [ifTaken ? `${ifTaken}\n${find}` : find, captured].filter(Boolean).join('\n\n'));
}

/** The message (not the `urgente` command) says agents are at the door. */
function atDoor(k: Kit, d: Draft): boolean {
  return Boolean(d.text) && d.command?.type !== 'urgent' && atTheDoor(k.understand(d).tokens);
}

/**
 * Gate: the open emergency case. Details are read into the case and acknowledged (asking only for what is still
 * missing); short questions get short, safe answers; clear topic questions get their answer; anything else a short
 * acknowledgement that is never the same line twice in a row. While staff are writing in the chat, details are still
 * read into the case but the bot says nothing.
 */
export function urgentCaseGate(k: Kit, d: Draft): boolean {
  if (!urgentOpen(d) || !d.text) return false;
  const s = k.s(d);
  const u = k.understand(d);
  // "hey so my cousin told me smth" announces a message; it names nobody for the case.
  const preamble = isPreamble(u.tokens);
  const found = preamble ? {} : extractDetails(d.text);
  d.intent = TURN_KINDS.details;
  const { added, details } = recordDetails(d, found);
  if (staffActive(k, d)) return true;
  if (Object.keys(added).length > 0) {
    const missing = askFor(k, d, details);
    return reply(k, d, 'say', [s.urgentCaptured(describe(k, d, added)), missing || s.urgentComplete].join('\n'));
  }
  if (preamble) {
    k.followLanguage(d);
    return reply(k, d, 'say', k.s(d).askQuestion);
  }
  const question = urgentQuestionOf(d.text);
  if (question) {
    k.followLanguage(d);
    return reply(k, d, 'say', k.s(d).urgentAnswer(question, k.settings.fee));
  }
  if (aboutAnotherCountry(d.text)) {
    k.followLanguage(d);
    return reply(k, d, 'say', k.s(d).otherCountry);
  }
  // A clear question on a topic gets its answer; a word or two the classifier is unsure of ("contesten") does not.
  const clear = u.confidence >= 0.75 || u.tokens.length >= 3;
  if (clear && u.intent !== 'none' && !['greeting', 'thanks', 'goodbye', 'urgent_detention', 'human', 'menu'].includes(u.intent) && !isAcknowledgement(u.tokens)) {
    k.answer(d, u.intent, d.text);
    return true;
  }
  if (u.intent === 'thanks' || u.intent === 'goodbye') {
    k.followLanguage(d);
    return reply(k, d, 'say', k.s(d).urgentThanks);
  }
  return reply(k, d, 'ack', askFor(k, d, details));
}

/**
 * Messages the flood limit held during an open emergency: their details go to the case (staff see every message in the
 * transcript), and one reply says so, asking only for what is still missing.
 */
export function absorbHeld(k: Kit, d: Draft, texts: readonly string[]): void {
  const found = texts.reduce<CaseDetails>((all, text) => mergeDetails(all, extractDetails(text)) ?? all, {});
  const { added, details } = recordDetails(d, found);
  if (staffActive(k, d)) return;
  const s = k.s(d);
  const captured = Object.keys(added).length > 0 ? s.urgentCaptured(describe(k, d, added)) : '';
  reply(k, d, 'say', [s.urgentHeldAdded(texts.length), captured, askFor(k, d, details)].filter(Boolean).join('\n'));
}

/**
 * Reads `found` into the open case: what is new or changed goes into the chat's state and, when there is any, to staff
 * (`handoff.details`). Returns what was added and every detail the case now holds.
 */
function recordDetails(d: Draft, found: CaseDetails): { added: CaseDetails; details: CaseDetails } {
  const known = mergeDetails(d.context.handoff?.details, d.state.urgent?.details) ?? {};
  const added = addedDetails(known, found);
  const details = mergeDetails(known, added) ?? {};
  d.state = { ...d.state, urgent: { ...d.state.urgent, details } };
  if (Object.keys(added).length > 0) d.effects.push({ type: 'handoff.details', details: added });
  return { added, details };
}

/**
 * Says `text`, unless it is word for word what was said last time: then a short acknowledgement instead. `ack`
 * rotates through the acknowledgements (with `text` after it), so the same line never goes out twice in a row.
 */
function reply(k: Kit, d: Draft, kind: 'ack' | 'say', text: string): true {
  const s = k.s(d);
  const last = d.state.urgent?.lastReply ?? '';
  const lastAck = Number(/^ack:(\d+)$/.exec(last)?.[1] ?? -1);
  const nextAck = (lastAck + 1) % s.urgentAcks.length;
  let said: string;
  let key: string;
  if (kind === 'ack') {
    [said, key] = [[s.urgentAcks[nextAck], text].filter(Boolean).join('\n'), `ack:${nextAck}`];
  } else if (last === fingerprint(text)) {
    [said, key] = [`${s.urgentAcks[nextAck]} ${s.seeAbove}`, `ack:${nextAck}`];
  } else {
    [said, key] = [text, fingerprint(text)];
  }
  d.state = { ...d.state, urgent: { ...d.state.urgent!, lastReply: key } };
  k.say(d, said);
  return true;
}

/** A short fingerprint of a reply (the state keeps it, not the text). */
function fingerprint(text: string): string {
  let hash = 5381;
  for (let i = 0; i < text.length; i++) hash = ((hash * 33) ^ text.charCodeAt(i)) >>> 0;
  return `say:${hash.toString(36)}`;
}

/** "If you know them, also send: date of birth, where…": only the fields still missing; '' when none. */
function askFor(k: Kit, d: Draft, details: CaseDetails): string {
  const missing = missingFields(details);
  return missing.length > 0 ? k.s(d).urgentMissing(missing) : '';
}

function describe(k: Kit, d: Draft, details: CaseDetails): string {
  return k.s(d).caseDetails(details);
}

/**
 * Gate: a message that might be an emergency ("pls help", "mi esposo", "ayudaaa") gets one question with the
 * emergency as the first option — neither a silent alert to staff nor a silent miss.
 */
export function clarifyGate(k: Kit, d: Draft): boolean {
  if (!d.text || urgentOpen(d)) return false;
  const u = k.understand(d);
  if (u.urgency !== 'possible') return false;
  k.followLanguage(d);
  clarify(k, d);
  return true;
}

/** "Is someone being detained right now? 1 Yes 2 No…" */
export function clarify(k: Kit, d: Draft): void {
  d.intent = TURN_KINDS.clarify;
  const choices: Choice[] = [{ kind: 'emergency' }, { kind: 'intent', intent: 'know_your_rights' }, { kind: 'intent', intent: 'human' }];
  d.state = { ...d.state, choices };
  k.say(d, `${k.s(d).clarifyEmergency}\n${k.composer.list(choices, d.state.lang)}`);
}
