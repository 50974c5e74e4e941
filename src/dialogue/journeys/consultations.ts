/**
 * A client's own consultation (journey 5, after booking): "cancel my appointment", "cambiar mi cita", or asking about
 * it — keep, move or cancel, with a yes/no before cancelling.
 */
import { parseYesNo } from '../../booking/answers';
import { formatInterval } from '../../booking/slots';
import { foldAccents } from '../../nlu/normalise';
import type { Lang } from '../../nlu/types';
import type { Draft, Kit } from '../draft';
import { TURN_KINDS } from '../draft';
import { wantsAnotherTime, wantsToLeave } from '../signals';
import type { Choice, UpcomingConsultation } from '../types';

/** Words that name a consultation, and what a client may want done with theirs. */
const APPOINTMENT = /\b(appointments?|appt|appts|consult\w*|cita|citas|booking|reservation|reserva|meeting|reunion)\b/;
const CANCEL_WORDS = /\b(cancel\w*|anul\w*|no (?:voy a poder|puedo) (?:ir|llegar)|can ?t make it)\b/;
const MOVE_WORDS = /\b(reschedul\w*|reprogram\w*|move|mover|moverla|change|cambi\w*|otro dia|otra (?:fecha|hora)|another (?:day|time)|different (?:day|time)|postpone|posponer)\b/;

/** The chat's next consultation, if any. */
export function upcoming(d: Draft): UpcomingConsultation | undefined {
  return d.context.consultations[0];
}

/** Gate: "cancel my appointment" / "cambiar mi cita" / "i cant do wednesday" acts on the client's upcoming consultation. */
export function manageGate(k: Kit, d: Draft): boolean {
  if (!d.text || d.command) return false;
  const text = foldAccents(d.text).toLowerCase();
  const next = upcoming(d);
  const cancel = CANCEL_WORDS.test(text);
  const move = MOVE_WORDS.test(text) || (next !== undefined && wantsAnotherTime(d.text));
  if (!APPOINTMENT.test(text) && !(next && wantsAnotherTime(d.text))) return false;
  if (!cancel && !move) return false;
  d.intent = TURN_KINDS.manage;
  if (!next) {
    d.state = { ...d.state, choices: [{ kind: 'intent', intent: 'consultation_book' }] };
    k.say(d, k.s(d).noUpcoming);
    return true;
  }
  if (cancel && !move) askCancel(k, d, next);
  else if (move && !cancel) k.booking.startMove(d, next);
  else manageMenu(k, d, next);
  return true;
}

/** "You have a consultation …: 1 Keep it 2 Change the time 3 Cancel it". */
export function manageMenu(k: Kit, d: Draft, next: UpcomingConsultation): void {
  d.intent = TURN_KINDS.manage;
  const choices: Choice[] = [{ kind: 'keep' }, { kind: 'move', consultationId: next.id }, { kind: 'cancel-consultation', consultationId: next.id }];
  d.state = { ...d.state, choices };
  k.say(d, `${k.s(d).upcoming(describe(k, next, d.state.lang), next.mode, next.status)}\n${k.composer.list(choices, d.state.lang)}`);
}

/** "Do you want to cancel your consultation for …? yes/no". */
export function askCancel(k: Kit, d: Draft, next: UpcomingConsultation): void {
  d.intent = TURN_KINDS.manage;
  d.state = { ...d.state, form: { kind: 'cancel-consultation', consultationId: next.id }, choices: [] };
  k.say(d, k.s(d).confirmCancel(describe(k, next, d.state.lang)));
}

/** The answer to "cancel your consultation?": yes, no, "no, another day" (move it instead), or leaving. */
export function cancelAnswer(k: Kit, d: Draft): void {
  const form = d.state.form;
  if (form?.kind !== 'cancel-consultation') return;
  const s = k.s(d);
  d.intent = TURN_KINDS.manage;
  const next = d.context.consultations.find((c) => c.id === form.consultationId);
  if (next && wantsAnotherTime(d.text)) {
    d.state = { ...d.state, form: undefined };
    return k.booking.startMove(d, next);
  }
  const answer = d.command?.type === 'cancel' ? 'no' : parseYesNo(d.text);
  if (answer === undefined) {
    if (wantsToLeave(d.text)) {
      d.state = { ...d.state, form: undefined };
      return k.say(d, s.kept);
    }
    return k.say(d, s.yesNoOrOtherDay);
  }
  d.state = { ...d.state, form: undefined };
  if (answer === 'no') return k.say(d, s.kept);
  d.effects.push({ type: 'consultation.cancelled', id: form.consultationId, lang: d.state.lang });
  k.say(d, s.consultationCancelled);
}

/** The consultation's time as the client reads it, or their stated preference. */
export function describe(k: Kit, c: UpcomingConsultation, lang: Lang): string {
  return c.slot ? formatInterval(c.slot, k.settings.timezone, lang) : (c.preference ?? '');
}
